import { type Attributes, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';

const tracer = trace.getTracer('scenewise');

export { SpanKind };

export interface SpanOptions {
  attributes?: Attributes;
  kind?: SpanKind;
  /** Names the failure for `error.type`. @default the error's class name */
  errorType?: (err: unknown) => string;
}

/**
 * Runs `fn` inside an active span: records an exception and sets ERROR if it throws,
 * and always ends the span.
 */
export async function withSpan<T>(
  name: string,
  fn: (span: Span) => Promise<T>,
  options: SpanOptions = {},
): Promise<T> {
  return tracer.startActiveSpan(name, { kind: options.kind, attributes: options.attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      markSpanFailed(span, err, options.errorType?.(err));
      throw err;
    } finally {
      span.end();
    }
  });
}

export function markSpanFailed(span: Span, err: unknown, errorType?: string): void {
  if (err instanceof Error) span.recordException(err);
  span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
  span.setAttribute('error.type', errorType ?? (err instanceof Error ? err.name : 'error'));
}

/** The trace id of the active span, if any (stored on jobs so a person can open the trace). */
export function activeTraceId(): string | undefined {
  const context = trace.getActiveSpan()?.spanContext();
  return context && trace.isSpanContextValid(context) ? context.traceId : undefined;
}
