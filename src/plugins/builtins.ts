/** The plugins that ship with Switchboard, loaded statically (no file-system scan needed). */
import apiKey from '../../plugins/auth/api-key/index.js';
import jwt from '../../plugins/auth/jwt/index.js';
import llm from '../../plugins/classifiers/llm/index.js';
import bandit from '../../plugins/policies/bandit/index.js';
import cheapest from '../../plugins/policies/cheapest/index.js';
import fixed from '../../plugins/policies/fixed/index.js';
import rules from '../../plugins/classifiers/rules/index.js';
import anthropic from '../../plugins/providers/anthropic/index.js';
import gemini from '../../plugins/providers/gemini/index.js';
import mock from '../../plugins/providers/mock/index.js';
import openai from '../../plugins/providers/openai/index.js';
import type { AnyPlugin } from './types.js';

export const BUILTIN_PLUGINS: readonly AnyPlugin[] = [mock, openai, anthropic, gemini, fixed, cheapest, bandit, rules, llm, apiKey, jwt].map(
  (p) => p as unknown as AnyPlugin,
);
