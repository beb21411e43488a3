import type { JSONSchemaType } from 'ajv';
import type { Candidate, PolicyPlugin } from '../../../src/plugins/types.js';

interface CheapestOptions {
  input_weight: number;
}

const optionsSchema: JSONSchemaType<CheapestOptions> = {
  type: 'object',
  additionalProperties: false,
  required: [],
  properties: {
    input_weight: {
      type: 'number',
      minimum: 0,
      maximum: 1,
      default: 0.75,
      description: 'Share of the blended price taken from the input price: blended = w × inputPer1M + (1 − w) × outputPer1M.',
    },
  },
};

export function blendedPrice(candidate: Candidate, inputWeight: number): number {
  return inputWeight * candidate.inputPer1M + (1 - inputWeight) * candidate.outputPer1M;
}

const cheapest: PolicyPlugin<CheapestOptions> = {
  apiVersion: 1,
  kind: 'policy',
  name: 'cheapest',
  description: 'Tries healthy candidates from the lowest blended price up; unhealthy ones last.',
  optionsSchema,
  create(options) {
    const weight = options.input_weight;
    return {
      rank(candidates) {
        // Array.prototype.sort is stable, so equal prices keep the configured order.
        const byPrice = (list: Candidate[]) => list.sort((a, b) => blendedPrice(a, weight) - blendedPrice(b, weight));
        return [...byPrice(candidates.filter((c) => c.healthy)), ...byPrice(candidates.filter((c) => !c.healthy))];
      },
    };
  },
};

export default cheapest;
