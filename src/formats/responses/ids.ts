/** Response and output-item ids in OpenAI's style: resp_…, msg_…, rs_…, fc_…, ctc_…. */
import { randomBytes } from 'node:crypto';

export function newResponseId(): string {
  return `resp_${randomBytes(16).toString('hex')}`;
}

/** Item ids derived from the response id, numbered in output order. */
export class ItemIds {
  private n = 0;
  private readonly base: string;

  constructor(responseId: string) {
    this.base = responseId.replace(/^resp_/, '');
  }

  next(prefix: 'msg' | 'rs' | 'fc' | 'ctc'): string {
    return `${prefix}_${this.base}${(this.n++).toString(16).padStart(2, '0')}`;
  }
}

/** The response an output item id belongs to (item ids embed it), or undefined for a foreign id. */
export function responseIdOfItem(itemId: string): string | undefined {
  const m = /^(?:msg|rs|fc|ctc)_([0-9a-f]{32})[0-9a-f]{2,}$/.exec(itemId);
  return m ? `resp_${m[1]}` : undefined;
}
