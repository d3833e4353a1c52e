// The technician's words for what is wrong (a fault's detail): catalog strings with the
// fault's parameters — a position, zod paths, a SQLite or system code, sizes — in the
// screen's language. A library's own message never reaches the screen; it is in the log.
import type { TFunction } from 'i18next';
import type { ConfigIssue, FaultDetail } from '../domain/index.js';

function issueText(t: TFunction, issue: ConfigIssue): string {
  const path = issue.path === '' ? t('maintenance.faultDetail.wholeFile') : issue.path;
  const names = issue.names?.join(', ') ?? '';
  return t('maintenance.faultDetail.issue', { path, problem: problemText(t, issue, names) });
}

function problemText(t: TFunction, issue: ConfigIssue, names: string): string {
  switch (issue.problem) {
    case 'invalidType':
      return t('maintenance.faultDetail.problems.invalidType', { expected: t(`maintenance.faultDetail.types.${issue.expected ?? 'other'}`) });
    case 'tooSmall':
    case 'tooBig':
      return t(`maintenance.faultDetail.problems.${issue.problem}`, { limit: String(issue.limit ?? '') });
    case 'unrecognizedKeys':
    case 'invalidValue':
      return t(`maintenance.faultDetail.problems.${issue.problem}`, { names });
    default:
      return t(`maintenance.faultDetail.problems.${issue.problem}`);
  }
}

/** One line per thing that is wrong (a configuration can have several). */
export function faultDetailLines(t: TFunction, detail: FaultDetail, bytes: (n: number) => string): string[] {
  switch (detail.kind) {
    case 'schema': {
      const lines = detail.issues.map((issue) => issueText(t, issue));
      if (detail.more > 0) lines.push(t('maintenance.faultDetail.schemaMore', { count: detail.more }));
      return lines;
    }
    case 'freeSpace':
      return [t('maintenance.faultDetail.freeSpace', { free: bytes(detail.freeBytes), needed: bytes(detail.neededBytes) })];
    case 'fileUnreadable':
    case 'errno':
      return [t(`maintenance.faultDetail.${detail.kind}`, { errno: detail.errno })];
    case 'sqlite':
      return [t('maintenance.faultDetail.sqlite', { sqliteCode: detail.sqliteCode })];
    case 'jsonSyntax':
      return [t('maintenance.faultDetail.jsonSyntax', { line: String(detail.line), column: String(detail.column), position: String(detail.position) })];
    case 'schemaVersion':
      return [t('maintenance.faultDetail.schemaVersion', { fileVersion: String(detail.fileVersion), knownVersion: String(detail.knownVersion) })];
    default:
      return [t(`maintenance.faultDetail.${detail.kind}`)];
  }
}
