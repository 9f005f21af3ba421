import { trace, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { WorkflowClientInterceptor } from '@temporalio/client';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import type { WorkerOptions } from '@temporalio/worker';

/**
 * Tracing (docs/design/runtime.md, « Traces »): OpenTelemetry spans from an HTTP request through
 * the Temporal client's call (start, Update, signal, query), the workflow's handling of it and the
 * activities it schedules, exported over OTLP/HTTP when an endpoint is configured
 * (`OTEL_EXPORTER_OTLP_ENDPOINT`, the OpenTelemetry convention). Without one, nothing is registered:
 * the spans are the API's no-op ones and cost nothing, and the workers run the plain bundle.
 *
 * Spans carry ids and route patterns only (never a name or an address): a household's id is an
 * attribute of the request's log line, not of its span.
 */
export interface Tracing {
  enabled: boolean;
  /** The tracer of the API's HTTP spans (a no-op tracer when tracing is off). */
  tracer: Tracer;
  /** For the Temporal client: propagates the active span into the workflow's headers. */
  clientInterceptors: WorkflowClientInterceptor[];
  /** For the worker: activity spans and the workflow spans' sink, plus the module bundled into the workflow code. */
  worker?: {
    interceptors: NonNullable<WorkerOptions['interceptors']>;
    sinks: NonNullable<WorkerOptions['sinks']>;
    workflowInterceptorModules: string[];
  };
  /** Flushes what was not exported yet (at stop). */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  serviceName: string;
  /** The OTLP/HTTP traces address (lib/config.ts `tracesUrl`); none turns tracing off. */
  tracesUrl?: string;
  /** Replaces the OTLP exporter (tests read spans in memory). */
  spanProcessor?: SpanProcessor;
}

const TRACER_NAME = 'april';

export function startTracing(options: TracingOptions): Tracing {
  if (!options.tracesUrl && !options.spanProcessor) {
    return { enabled: false, tracer: trace.getTracer(TRACER_NAME), clientInterceptors: [], shutdown: async () => {} };
  }
  const resource = new Resource({ 'service.name': options.serviceName, 'service.namespace': 'april' });
  const spanProcessor = options.spanProcessor ?? new BatchSpanProcessor(new OTLPTraceExporter({ url: options.tracesUrl }));
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  // Registers the provider, the W3C trace-context propagator and the async-hooks context manager:
  // the span of a request stays active across its awaits, down to the Temporal client's call.
  provider.register();
  const tracer = trace.getTracer(TRACER_NAME);
  return {
    enabled: true,
    tracer,
    clientInterceptors: [new OpenTelemetryWorkflowClientInterceptor({ tracer })],
    worker: {
      interceptors: {
        activity: [(ctx) => ({
          inbound: new OpenTelemetryActivityInboundInterceptor(ctx, { tracer }),
          outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
        })],
      },
      sinks: { exporter: makeWorkflowExporter(spanProcessor, resource) },
      workflowInterceptorModules: [require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors')],
    },
    shutdown: () => provider.shutdown(),
  };
}
