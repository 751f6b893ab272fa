/**
 * What the instance state machine tells the rest of the simulator: one event per transition a feature
 * module may react to. Emitted synchronously, after the record reflects the transition.
 */
import type { SimInstance } from './instance-record';

interface EventBase {
  instance: SimInstance;
  /** Platform time of the transition, epoch seconds. */
  at: number;
}

/** The instance events, by `type`. */
export type InstanceEvent =
  /** Rented (also when a low bid creates it stopped). */
  | (EventBase & { type: 'create' })
  /** Reached `running` with its SSH server up: after create, and after every resume. */
  | (EventBase & { type: 'boot' })
  /** A stop was requested: processes killed (unless a defect keeps them), SSH closed. */
  | (EventBase & { type: 'pause' })
  /** A start was requested on a stopped (or exited) instance. */
  | (EventBase & { type: 'resume' })
  /** Destroyed: processes killed, directory removed, gone from every list. */
  | (EventBase & { type: 'destroy' })
  /** The host machine failed: the instance is `exited` and unreachable until resumed or destroyed. */
  | (EventBase & { type: 'host-failure'; reason: string });

/** The `type` of an instance event. */
export type InstanceEventType = InstanceEvent['type'];

/** The event of one type. */
export type InstanceEventOf<T extends InstanceEventType> = Extract<InstanceEvent, { type: T }>;

/** Every event type, in lifecycle order. */
export const INSTANCE_EVENT_TYPES: readonly InstanceEventType[] = [
  'create',
  'boot',
  'pause',
  'resume',
  'destroy',
  'host-failure',
];
