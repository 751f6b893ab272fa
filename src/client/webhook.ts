/**
 * Notifications of a finished run to a Slack-compatible incoming webhook (Slack, Mattermost, Rocket.Chat, Teams
 * connectors that accept `{ "text": … }`). The URL authorises posting, so it is a secret: it comes from the worker's
 * environment (DUMONT_E2E_WEBHOOK_URL), never enters a workflow, and no message or error here contains it.
 */
import type { ReportInput } from './reporters/context';
import { webUiLink } from './reporters/context';
import { formatUsd } from './reporters/format';
import { firstFailure, leakedResources, summarize } from './reporters/summary';

/** A Slack-compatible message body. */
export interface WebhookMessage {
  /** The whole message as mrkdwn (what every compatible receiver shows). */
  text: string;
}

/** Why a run deserves a message, empty when it does not: failed scenarios, leaks, a budget exceeded. */
export function alarmsOf({ result, context }: ReportInput): string[] {
  const s = summarize(result);
  const alarms: string[] = [];
  if (s.failed > 0) alarms.push(`${s.failed} of ${s.total} scenarios failed`);
  if (s.leaked > 0) alarms.push(`${s.leaked} resources leaked`);
  const budget = context?.budgetUsd;
  const stopped = result.scenarios.filter((x) => x.status === 'skipped' && /^budget /.test(x.error ?? '')).length;
  if (budget !== undefined && (s.costUsd > budget || stopped > 0)) {
    alarms.push(
      `budget ${formatUsd(budget)} exceeded: spent ${formatUsd(s.costUsd)}` +
        (stopped ? `, ${stopped} scenarios not started` : '')
    );
  }
  return alarms;
}

/** The message for a run with alarms (see {@link alarmsOf}); `undefined` for a run that needs none. */
export function webhookMessage(input: ReportInput, where?: string): WebhookMessage | undefined {
  const alarms = alarmsOf(input);
  if (alarms.length === 0) return undefined;
  const { result, context } = input;
  const failed = result.scenarios.filter((x) => x.status === 'failed').slice(0, 10);
  const lines = [
    `:red_circle: *dumont-e2e ${result.suiteId}* on ${result.target}: ${alarms.join('; ')}`,
    ...failed.map((x) => {
      const link = webUiLink(context, x.workflowId);
      const mark = context?.history?.[x.id]?.mark;
      const name = link ? `<${link}|s${String(x.id).padStart(3, '0')}-${x.slug}>` : `s${x.id}-${x.slug}`;
      return `• ${name}${mark ? ` (${mark})` : ''}: ${(firstFailure(x) ?? 'failed').slice(0, 300)}`;
    }),
    ...leakedResources(result)
      .slice(0, 10)
      .map((r) => `• leaked: ${r}`),
    ...(where ? [`Reports: ${where}`] : []),
  ];
  return { text: lines.join('\n') };
}

/**
 * POSTs `message` as JSON to `url`, up to `attempts` times on network errors and 5xx/429 answers. Resolves to
 * `undefined` when delivered, else to why not, without the URL.
 */
export async function postWebhook(
  url: string,
  message: WebhookMessage,
  options: { attempts?: number; timeoutMs?: number } = {}
): Promise<string | undefined> {
  const attempts = options.attempts ?? 3;
  let why = 'not sent';
  for (let i = 0; i < attempts; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, 500 * 2 ** (i - 1)));
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(message),
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) return undefined;
      why = `the webhook answered HTTP ${res.status}`;
      if (res.status < 500 && res.status !== 429) return why;
    } catch (err) {
      const code = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
      why = `the webhook could not be reached (${code})`;
    }
  }
  return why;
}
