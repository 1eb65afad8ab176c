import { html, nothing, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import type { AuditEntry } from '@kindred/protocol';
import type { ModerationLocalizer } from './moderation-i18n.js';

export type AuditAction = AuditEntry['action'];
/** Spelled out rather than built from the protocol's constants, which would then sit in the thread page's shared chunk. */
export const AUDIT_ACTIONS = ['approve', 'reject', 'edit', 'remove', 'suspend', 'ban', 'reinstate', 'settings'] as const satisfies readonly AuditAction[];

/** The filters as typed: an action or '' for all, and dates as `YYYY-MM-DD` or ''. */
export interface AuditFilters {
  action: AuditAction | '';
  since: string;
  until: string;
}

/** The request for `mod:audit` (and the CSV export): dates as the start and end of those days, in local time. */
export function auditQuery(filters: AuditFilters): { action?: AuditAction; since?: string; until?: string } {
  const day = (date: string, end: boolean): string | undefined => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
    const at = new Date(`${date}T${end ? '23:59:59.999' : '00:00:00'}`);
    return Number.isNaN(at.getTime()) ? undefined : at.toISOString();
  };
  const since = day(filters.since, false);
  const until = day(filters.until, true);
  return { ...(filters.action && { action: filters.action }), ...(since && { since }), ...(until && { until }) };
}

const MAX_SUMMARY = 120;

/** "reportThreshold: 3 → 2", or the values themselves: enough to see what changed without the raw record. */
export function summariseChange(before: unknown, after: unknown): string {
  const show = (value: unknown): string => {
    const text = typeof value === 'string' ? value : JSON.stringify(value) ?? '';
    return text.length > MAX_SUMMARY ? `${text.slice(0, MAX_SUMMARY - 1)}…` : text;
  };
  const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys
      .filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]))
      .map((key) => `${key}: ${show(before[key] ?? null)} → ${show(after[key] ?? null)}`)
      .join('; ');
  }
  if (before == null && after == null) return '';
  if (before == null) return show(after);
  return `${show(before)} → ${show(after ?? null)}`;
}

export interface AuditContext {
  i18n: ModerationLocalizer;
  filters: AuditFilters;
  entries: AuditEntry[];
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: string;
  hasMore: boolean;
  exportStatus: string;
  exportError: string;
  setFilter(field: keyof AuditFilters, value: string): void;
  apply(): void;
  loadMore(): void;
  exportCsv(): void;
}

export function renderAudit(ctx: AuditContext): TemplateResult {
  const { i18n, filters } = ctx;
  const onInput = (field: keyof AuditFilters) => (event: Event) => ctx.setFilter(field, (event.target as HTMLInputElement).value);
  const targetText = (entry: AuditEntry): string => i18n.t(`target_${entry.target.kind}`, { id: entry.target.id });
  return html`<section part="audit" aria-labelledby="audit-heading">
    <h2 id="audit-heading" part="heading">${i18n.t('audit')}</h2>
    <form part="audit-filters" aria-label=${i18n.t('auditFilters')} @submit=${(event: Event) => {
      event.preventDefault();
      ctx.apply();
    }}>
      <div class="field">
        <label for="audit-action">${i18n.t('auditAction')}</label>
        <select id="audit-action" part="select" @change=${onInput('action')}>
          <option value="" ?selected=${!filters.action}>${i18n.t('allActions')}</option>
          ${AUDIT_ACTIONS.map((action) => html`<option value=${action} ?selected=${filters.action === action}>${i18n.t(`action_${action}`)}</option>`)}
        </select>
      </div>
      <div class="field">
        <label for="audit-since">${i18n.t('since')}</label>
        <input id="audit-since" part="input" type="date" .value=${live(filters.since)} @input=${onInput('since')} />
      </div>
      <div class="field">
        <label for="audit-until">${i18n.t('until')}</label>
        <input id="audit-until" part="input" type="date" .value=${live(filters.until)} @input=${onInput('until')} />
      </div>
      <button part="button apply">${i18n.t('apply')}</button>
      <button part="button export" type="button" @click=${() => ctx.exportCsv()}>${i18n.t('exportCsv')}</button>
    </form>
    <p part="status" role="status">${ctx.exportStatus}</p>
    <p part="error" role="alert">${ctx.exportError}</p>
    ${ctx.status === 'error'
      ? html`<div part="error" role="alert">
          ${ctx.error} <button part="button retry" @click=${() => ctx.apply()}>${i18n.t('retry')}</button>
        </div>`
      : ctx.status === 'loading' && !ctx.entries.length
        ? html`<p part="status">${i18n.t('loading')}</p>`
        : ctx.entries.length
          ? html`<div class="table-wrap" tabindex="0" role="region" aria-labelledby="audit-caption">
              <table part="audit-table">
                <caption id="audit-caption">${i18n.t('auditCaption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">${i18n.t('colWhen')}</th>
                    <th scope="col">${i18n.t('colWho')}</th>
                    <th scope="col">${i18n.t('colWhat')}</th>
                    <th scope="col">${i18n.t('colTarget')}</th>
                    <th scope="col">${i18n.t('colWhy')}</th>
                    <th scope="col">${i18n.t('colChange')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${ctx.entries.map(
                    (entry) => html`<tr part="audit-row" id="audit-${entry.id}" tabindex="-1">
                      <td><time datetime=${entry.at}>${i18n.dateTime(entry.at)}</time></td>
                      <td>${entry.actor.name}</td>
                      <td>${i18n.has(`action_${entry.action}`) ? i18n.t(`action_${entry.action}`) : entry.action}</td>
                      <td>${targetText(entry)}</td>
                      <td>${entry.reason ?? i18n.t('nothing')}</td>
                      <td>${summariseChange(entry.before, entry.after) || i18n.t('nothing')}</td>
                    </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
          : html`<p part="empty">${i18n.t('noAudit')}</p>`}
    ${ctx.hasMore
      ? html`<button part="button load-more" ?disabled=${ctx.status === 'loading'} @click=${() => ctx.loadMore()}>${i18n.t('loadMore')}</button>`
      : nothing}
  </section>`;
}
