/**
 * Which database URLs this build can open. One function, used by both `check-config` (through
 * the config's semantic checks) and the start, so the two can never disagree.
 */
export function databaseUrlProblem(url: string): string | null {
  if (url.startsWith('sqlite:')) return null;
  if (/^postgres(ql)?:\/\//.test(url)) return 'PostgreSQL (postgres://) is not supported by this version yet; use sqlite:<path>';
  return `unsupported database "${url.split(':')[0] ?? ''}" (use sqlite:<path>)`;
}
