/** Renders the results as Markdown tables. */
import { agentMarkdown } from './agent.js'
import type { Results } from './run.js'
import type { Summary } from './stats.js'
import type { RateLimitResult } from './ratelimit.js'

const f = (n: number | null | undefined, d = 2) => (n !== null && n !== undefined && Number.isFinite(n) ? n.toFixed(d) : 'n/a')
const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`
const table = (head: string[], rows: (string | number)[][]) => [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n')
const lat = (s: Summary) => [f(s.p50), f(s.p95), f(s.p99), f(s.throughput, 0), s.errors, s.n]
const steps = (s: Summary) => [f(s.p50, 0), f(s.p95, 0), f(s.p99, 0), f(s.min, 0), f(s.max, 0), s.n]
const ops = (m: Record<string, number>) => Object.entries(m).map(([k, v]) => `${k} ${f(v)}`).join(', ') || '–'

export function markdown(r: Results): string {
  const m = r.meta
  const out: string[] = [
    '# MCP gateway benchmark',
    '',
    `${m.date} · node ${m.node} · ${m.cpus}× ${m.cpu_model} · ${m.platform} · mode: ${m.quick ? 'quick (smoke, figures not meaningful)' : 'full'} · ${f(m.duration_s, 1)} s`,
    '',
    'The gateway runs as a child process in local mode; the upstream test servers, the direct SDK clients and the load generator share the bench process. Goals are printed, never asserted.',
    '',
    '## Goals',
    '',
    table(['goal', 'measured', 'result'], r.goals.map((g) => [g.goal, g.measured, g.pass === null ? 'n/a' : g.pass ? 'pass' : '**FAIL**'])),
    '',
    '## 1. execute latency (ms; sequential, each pair interleaved A B A B)',
    '',
    table(['server', 'path', 'p50', 'p95', 'p99', 'calls/s', 'errors', 'n'], r.latency.flatMap((l) => [
      [l.server, 'gateway execute (pair 1)', ...lat(l.gateway)],
      [l.server, 'direct, warm session (pair 1)', ...lat(l.direct_warm)],
      [l.server, 'gateway execute (pair 2)', ...lat(l.gateway_vs_short)],
      [l.server, 'direct, short-lived (pair 2)', ...lat(l.direct_short)],
    ])),
    '',
    r.latency.map((l) => `${l.server}: gateway/warm p50 ${f(l.ratio_p50)}×, Δp95 ${f(l.delta_p95_ms)} ms; gateway/short-lived p50 ${f(l.gateway_vs_short.p50 / l.direct_short.p50)}×`).join('  \n'),
    '',
    '### The floor: one more Node hop and nothing else',
    '',
    'The direct warm session again, through a bare pass-through proxy (a child process: keep-alive, whole bodies, no auth, no MCP client, no logging), interleaved with the same session straight to the server. Any Node gateway on this machine pays this before doing anything of its own.',
    '',
    table(['server', 'path', 'p50', 'p95', 'p99', 'calls/s', 'errors', 'n'], (r.floor ?? []).flatMap((x) => [
      [x.server, 'direct through a bare proxy', ...lat(x.proxy)],
      [x.server, 'direct, warm session', ...lat(x.direct_warm)],
    ])),
    '',
    (r.floor ?? []).map((x) => `${x.server}: bare proxy / direct p50 ${f(x.ratio_p50)}×`).join('  \n'),
    '',
    '## 2. Upstream HTTP requests per gateway execute',
    '',
    table(['server', 'path', 'POST', 'all requests by method', 'JSON-RPC of one call'], r.upstream.flatMap((u) => [
      [u.server, `cold (first call, fresh MCP)`, f(u.cold.posts), ops(u.cold.by_method), u.cold.jsonrpc.join(' → ')],
      ...(u.cold_instance ? [[u.server, 'cold instance (new process, known MCP)', f(u.cold_instance.posts), ops(u.cold_instance.by_method), u.cold_instance.jsonrpc.join(' → ')]] : []),
      [u.server, `warm (mean of ${u.warm.calls})`, f(u.warm.posts), ops(u.warm.by_method), u.warm.jsonrpc.join(' → ')],
    ])),
    '',
    '## 3. Store and vault operations per execute (bearer MCP)',
    '',
    table(['server', 'path', 'store reads', 'store writes', 'store ops', 'vault reads', 'vault ops'], r.store_ops.flatMap((s) => [
      [s.server, 'cold (first call)', f(s.cold.store.reads), f(s.cold.store.writes), ops(s.cold.store.by_method), f(s.cold.vault.reads), ops(s.cold.vault.by_method)],
      [s.server, `warm (mean of ${s.warm_calls})`, f(s.warm.store.reads), f(s.warm.store.writes), ops(s.warm.store.by_method), f(s.warm.vault.reads), ops(s.warm.vault.by_method)],
    ])),
    '',
    '## 4. Listing tools (ms)',
    '',
    table(['server', 'path', 'p50', 'p95', 'p99', 'calls/s', 'errors', 'n', 'cold/warm p50'], r.listing.flatMap((l) => [
      [l.server, 'cold (fresh MCP)', ...lat(l.cold), f(l.speedup_p50)],
      [l.server, 'warm', ...lat(l.warm), ''],
    ])),
    '',
    '## 5. Cold start, spawn → first 2xx (ms)',
    '',
    `Source: \`${r.cold_start_source ?? 'dist/bundle/index.js'}\`. Breakdown: *listen* is spawn → the port accepts (Node, the framework, \`functions/index.ts\`); *first request* is the rest (the function's modules, loaded on its first call, and the call); *CPU* is the process's CPU time (all threads) by the first 2xx, which a loaded machine changes far less than wall time.`,
    '',
    table(['function', 'request', 'p50', 'p95', 'min', 'max', 'n', '× trivial', 'listen p50', 'first request p50', 'CPU p50', 'CPU × trivial', 'heavy modules loaded', 'npm packages'], r.cold_start.map((c) => [
      c.function, c.request, f(c.spawn_to_2xx.p50, 0), f(c.spawn_to_2xx.p95, 0), f(c.spawn_to_2xx.min, 0), f(c.spawn_to_2xx.max, 0), c.spawn_to_2xx.n,
      f(c.ratio_vs_trivial), f(c.listen_p50, 0), f(c.request_p50, 0), f(c.cpu_p50, 0), f(c.cpu_p50 / (r.cold_start.find((x) => x.function === 'trivial')?.cpu_p50 ?? NaN)), c.heavy_modules.join(', ') || 'none', c.packages_loaded,
    ])),
    '',
    ...(r.first_execute ? [
      '### First execute on a new instance (server-everything, echo; spawn → result, ms, interleaved)',
      '',
      table(['path', 'p50', 'p95', 'min', 'max', 'n'], [
        ['gateway execute (Functions Framework, new process)', ...[r.first_execute.gateway].flatMap((x) => [f(x.p50, 0), f(x.p95, 0), f(x.min, 0), f(x.max, 0), x.n])],
        ['bare script: spawn, SDK connect, one call', ...[r.first_execute.bare].flatMap((x) => [f(x.p50, 0), f(x.p95, 0), f(x.min, 0), f(x.max, 0), x.n])],
      ]),
      '',
      `gateway / bare p50: ${f(r.first_execute.ratio_p50)}×; CPU time p50 ${f(r.first_execute.cpu_p50?.gateway, 0)} vs ${f(r.first_execute.cpu_p50?.bare, 0)} ms = ${f(r.first_execute.cpu_ratio_p50)}×`,
      '',
    ] : []),
    ...(r.warm_ab ? [
      '### Warm execute, this bundle vs the baseline bundle (Functions Framework, 2026-07-28 server; interleaved)',
      '',
      table(['bundle', 'p50', 'p95', 'p99', 'n', 'calls/s at c64'], [
        ['this build', f(r.warm_ab.current.p50), f(r.warm_ab.current.p95), f(r.warm_ab.current.p99), r.warm_ab.current.n, f(r.warm_ab.current_rps, 0)],
        ['baseline', f(r.warm_ab.baseline.p50), f(r.warm_ab.baseline.p95), f(r.warm_ab.baseline.p99), r.warm_ab.baseline.n, f(r.warm_ab.baseline_rps, 0)],
      ]),
      '',
    ] : []),
    '## 6. Throughput (closed loop)',
    '',
    table(['server', 'c', 'gateway calls/s', 'direct calls/s', 'ratio', 'gateway p50/p99 ms', 'direct p50/p99 ms', 'errors gw/direct', 'gateway RSS MiB: before → peak'], r.throughput.flatMap((t) => t.levels.map((l) => [
      t.server, l.concurrency, f(l.gateway.throughput, 0), f(l.direct.throughput, 0), `${f(l.ratio * 100, 0)}%`,
      `${f(l.gateway.p50)}/${f(l.gateway.p99)}`, `${f(l.direct.p50)}/${f(l.direct.p99)}`, `${l.gateway.errors}/${l.direct.errors}`,
      `${f(l.gateway_rss_before_mib, 0)} → ${f(l.gateway_peak_rss_mib, 0)}${l.peak_reset ? '' : ' (peak since start)'}`,
    ]))),
    '',
    ...(m.bench_warnings.length ? ['Bench process warnings (direct SDK clients, load generator):', '', ...m.bench_warnings.map((w) => `- \`${w}\``), ''] : []),
    ...(m.gateway_warnings.length ? ['Gateway stderr warnings during the run:', '', ...m.gateway_warnings.map((w) => `- \`${w}\``), ''] : []),
    '## 7. stdio pool',
    '',
    typeof r.stdio === 'string'
      ? table(['item', 'result'], [['stdio pool', r.stdio]])
      : [
          table(['path (server-everything, echo)', 'p50', 'p95', 'p99', 'calls/s', 'errors', 'n'], [
            ['gateway execute, stdio via the warm pool', ...lat(r.stdio.pool_warm)],
            ['gateway execute, same server over streamable HTTP', ...lat(r.stdio.http_warm)],
            ['spawn per call (spawn, initialize, call, exit; direct SDK)', ...lat(r.stdio.spawn_per_call)],
          ]),
          '',
          `Spawn-per-call / warm pool p50: ${f(r.stdio.ratio)}×; warm pool − streamable HTTP p50: ${f(r.stdio.delta_vs_http_ms)} ms.`,
        ].join('\n'),
    '',
    ...(r.homes
      ? [
          '## 7b. persistent stdio homes (in process, server-memory read_graph)',
          '',
          table(['path', 'p50', 'p95', 'p99', 'calls/s', 'errors', 'n'], [
            ['warm call, pool with homes and leases', ...lat(r.homes.warm_with_homes)],
            ['warm call, pool without', ...lat(r.homes.warm_without)],
            ['cold start (spawn, initialize, call) restoring a 1 MiB home', ...lat(r.homes.cold_restored_1mib)],
            ['cold start without a home', ...lat(r.homes.cold_without)],
          ]),
          '',
          `Cold start restoring 1 MiB / without: ${f(r.homes.cold_ratio)}× p50.`,
          '',
        ]
      : []),
    markdownRateLimit(r.rate_limit ?? []),
    '',
    '## 9. Elicitation round trip (ms; interleaved): gateway execute → input_required → input → completed vs a direct warm SDK client answering in its handler',
    '',
    table(['server', 'path', 'p50', 'p95', 'p99', 'calls/s', 'errors', 'n'], (r.elicitation ?? []).flatMap((e) => [
      [e.server, 'gateway (2 requests on warm upstream connections)', ...lat(e.gateway)],
      [e.server, 'direct, warm session with a handler', ...lat(e.direct)],
      ...(e.plain_gateway && e.plain_direct
        ? [[e.server, 'plain execute through the gateway (interleaved with the rounds)', ...lat(e.plain_gateway)], [e.server, 'plain call, direct warm session (interleaved)', ...lat(e.plain_direct)]]
        : []),
    ])),
    '',
    (r.elicitation ?? []).map((e) => `${e.server}: the gateway adds ${f(e.added_p50_ms)} ms p50 per round${e.plain_overhead_ms === undefined ? '' : `, ${f(e.plain_overhead_ms)} ms to a plain execute in the same loop`}`).join('  \n'),
    '',
    ...(r.agent?.length ? ['## 10. Agent proxy (ms; interleaved): tools/call through /api/v1/mcps/{id}/mcp vs REST execute and direct', '', agentMarkdown(r.agent), ''] : []),
    ...(r.restart
      ? [
          `## 11. Restart-to-ready with ${r.restart.records} audited calls (ms from spawn; ${f(r.restart.store_bytes / 1e6, 1)} MB of store files; load average ${f(r.restart.load[0])} → ${f(r.restart.load[1])})`,
          '',
          table(['step', 'p50', 'p95', 'p99', 'min', 'max', 'n'], [
            ['port accepts', ...steps(r.restart.listen)],
            ['first GET /api/v1/mcps answered (ready)', ...steps(r.restart.ready)],
            ['first GET /api/v1/audit answered (the audit records loaded)', ...steps(r.restart.audit)],
            ['gateway CPU time (all threads) by ready', ...steps(r.restart.ready_cpu_ms)],
            ['gateway CPU time by the audit page', ...steps(r.restart.audit_cpu_ms)],
          ]),
          '',
          `Compaction of the audit records: longest event-loop pause ${f(r.restart.compaction.max_pause_ms, 0)} ms (at most ${f(r.restart.compaction.max_pause_cpu_ms, 0)} ms of the process's CPU within one pause) over ${f(r.restart.compaction.duration_ms, 0)} ms.`,
          '',
        ]
      : []),
  ]
  return out.join('\n')
}

/** Item 8, also printed alone by `node dist/bench/ratelimit.js`. */
export function markdownRateLimit(rs: RateLimitResult[]): string {
  const us = (s: Summary | null) => (s ? `${f(s.p50 * 1000, 1)} µs` : 'n/a')
  return [
    '## 8. Rate limiter (execute, ms; interleaved, same process: a caller under RATE_LIMIT_ORG vs one under no limit)',
    '',
    table(['server', 'store', 'path', 'p50', 'p95', 'p99', 'calls/s', 'errors', 'n'], rs.flatMap((r) => r.pairs.flatMap((p) => [
      [r.server, p.store, 'without limits', ...lat(p.without)],
      [r.server, p.store, 'with limits (one token per call)', ...lat(p.with)],
    ]))),
    '',
    rs.map((r) => [
      ...r.pairs.map((p) => `${p.store}: added p50 ${f(p.added_p50_ms, 3)} ms`),
      `the limiter alone, p50: memory take ${us(r.alone.memory_take)}; Redis take ${us(r.alone.redis_take)} vs PING (one round trip) ${us(r.alone.redis_ping)}`,
      ...(r.note ? [r.note] : []),
    ].join('  \n')).join('\n\n'),
  ].join('\n')
}
