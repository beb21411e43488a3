/**
 * HTTP-level series: requests by method, route template and status; request duration; active
 * SSE streams; and the gateway's own overhead (time not spent waiting on a provider), which the
 * chat routes report in the X-Switchboard-Overhead-Ms response header.
 */
import type { RequestHandler } from 'express';
import { Gauge, type Registry } from 'prom-client';
import { FastHistogram } from './fast-histogram.js';
import { onResponseDone, onResponseHead } from '../server/response-hooks.js';
import { routeTemplateOf, trackRouteTemplate } from '../server/route-template.js';
import { deferredCounter, histogramChildren } from './label-cache.js';
import { LATENCY_BUCKETS, OVERHEAD_BUCKETS } from './registry.js';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
export const OVERHEAD_HEADER = 'X-Switchboard-Overhead-Ms';

function isEventStream(contentType: unknown): boolean {
  return typeof contentType === 'string' && contentType.toLowerCase().startsWith('text/event-stream');
}

export function httpMetrics(registry: Registry): RequestHandler {
  const registers = [registry];
  const requestsBy = deferredCounter({
    name: 'switchboard_http_requests_total',
    help: 'HTTP requests by method, route template and status.',
    labelNames: ['method', 'route', 'status'],
    registers,
  });
  const duration = new FastHistogram({
    name: 'switchboard_http_request_duration_seconds',
    help: 'HTTP request duration until the last byte, by method, route template and status.',
    labelNames: ['method', 'route', 'status'],
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const overhead = new FastHistogram({
    name: 'switchboard_gateway_overhead_seconds',
    help: 'Gateway overhead per completion: request time (to the first byte for streams) minus time waiting on the provider.',
    labelNames: ['stream'],
    buckets: OVERHEAD_BUCKETS,
    registers,
  });
  const activeStreams = new Gauge({ name: 'switchboard_active_streams', help: 'Server-sent event responses currently open.', registers });
  const durationBy = histogramChildren(duration);
  const overheadBy = histogramChildren(overhead);

  return (req, res, next) => {
    const started = performance.now();
    trackRouteTemplate(req, res);
    let streaming = false;
    onResponseHead(res, () => {
      if (isEventStream(res.getHeader('content-type'))) {
        streaming = true;
        activeStreams.inc();
      }
    });
    onResponseDone(res, () => {
      if (streaming) activeStreams.dec();
      const method = METHODS.has(req.method) ? req.method : 'OTHER';
      const route = routeTemplateOf(req, res);
      const status = String(res.statusCode);
      requestsBy(method, route, status).inc();
      durationBy(method, route, status).observe((performance.now() - started) / 1000);
      const header = res.getHeader(OVERHEAD_HEADER);
      const reported = Number(header);
      if (header !== undefined && Number.isFinite(reported) && reported >= 0) overheadBy(streaming ? 'true' : 'false').observe(reported / 1000);
    });
    next();
  };
}
