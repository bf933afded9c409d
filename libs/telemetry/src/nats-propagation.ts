import { type Context, context, propagation, type TextMapGetter, type TextMapSetter } from '@opentelemetry/api';

/** The slice of NATS' MsgHdrs that propagation needs (so this lib does not depend on nats). */
export interface HeaderCarrier {
  get(key: string): string;
  set(key: string, value: string): void;
  keys(): string[];
}

const setter: TextMapSetter<HeaderCarrier> = {
  set: (carrier, key, value) => carrier.set(key, value),
};

const getter: TextMapGetter<HeaderCarrier | undefined> = {
  keys: (carrier) => carrier?.keys() ?? [],
  get: (carrier, key) => carrier?.get(key) || undefined,
};

/** Writes the active context (W3C traceparent/tracestate) into NATS message headers. */
export function injectTraceContext(headers: HeaderCarrier, ctx: Context = context.active()): void {
  propagation.inject(ctx, headers, setter);
}

/** The context a message's headers carry, to continue its trace in the consumer. */
export function extractTraceContext(headers: HeaderCarrier | undefined): Context {
  return propagation.extract(context.active(), headers, getter);
}
