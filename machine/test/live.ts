// Plays a cover path on a live actor: its invoked actors wait until the path says how
// they end, its timers run on a simulated clock, and after each step the test compares the
// actor with what the path expects — and the timers it runs with what the spec says.
import { fromPromise, SimulatedClock, type AnyActorRef, type AnyMachineSnapshot } from 'xstate';
import { DELAYS, type DelayName } from '../delays.js';
import { deferred } from '../test-helpers.js';
import type { AnyEvent } from './cover.js';

/** A timer the actor runs: which delay, for how long, and when it fires. */
export interface RunningTimer {
  readonly name: DelayName;
  readonly eventType: string;
  readonly delay: number;
  readonly due: number;
}

export interface LiveActor<TSnapshot extends AnyMachineSnapshot> {
  readonly clock: SimulatedClock;
  snapshot(): TSnapshot;
  timers(): RunningTimer[];
  /** Sends an event, settles an actor, or lets the clock run to a timer (see `wait`). */
  play(event: AnyEvent): Promise<void>;
  /** For a timer step: run the clock to 1 ms before the timer is due. */
  untilJustBefore(eventType: string): Promise<void>;
}

/** Invoked actors that wait for the test to say how they end, by their invoke id. */
export function controlledActors() {
  const pending = new Map<string, ReturnType<typeof deferred<unknown>>>();
  const wait = (id: string) => {
    const settle = deferred<unknown>();
    pending.set(id, settle);
    return settle.promise;
  };
  return {
    pending,
    /** An actor logic that waits under the id it is invoked with. */
    logic: <TOutput, TInput>() => fromPromise<TOutput, TInput>(({ self }) => wait(self.id) as Promise<TOutput>),
  };
}

export function liveActor<TSnapshot extends AnyMachineSnapshot>(
  start: (clock: SimulatedClock) => AnyActorRef,
  pending: ReturnType<typeof controlledActors>['pending'],
): LiveActor<TSnapshot> {
  const clock = new SimulatedClock();
  const actor = start(clock);
  // When each timer was set: the scheduler keeps its delay, we note the (simulated) time.
  const setAt = new Map<object, number>();
  const note = () => {
    for (const scheduled of Object.values(actor.system.getSnapshot()._scheduledEvents)) {
      if (!setAt.has(scheduled)) setAt.set(scheduled, clock.now());
    }
  };
  const flush = async () => {
    for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
    note();
  };
  const timers = (): RunningTimer[] =>
    Object.values(actor.system.getSnapshot()._scheduledEvents)
      .filter((scheduled) => scheduled.source === actor && scheduled.event.type.startsWith('xstate.after.'))
      .map((scheduled) => {
        const name = scheduled.event.type.split('.')[2] as DelayName;
        if (!(name in DELAYS)) throw new Error(`unknown delay in ${scheduled.event.type}`);
        const { delay } = scheduled;
        return { name, eventType: scheduled.event.type, delay, due: (setAt.get(scheduled) ?? clock.now()) + delay };
      });
  const timer = (eventType: string) => {
    const found = timers().find((t) => t.eventType === eventType);
    if (!found) throw new Error(`no timer ${eventType} is running`);
    return found;
  };
  note();
  return {
    clock,
    snapshot: () => actor.getSnapshot() as TSnapshot,
    timers,
    async play(event) {
      const [prefix, kind, , id] = event.type.split('.');
      if (prefix === 'xstate' && kind === 'done' && id) pending.get(id)?.resolve(event.output);
      else if (prefix === 'xstate' && kind === 'error' && id) pending.get(id)?.reject(event.error);
      else if (prefix === 'xstate' && kind === 'after') clock.set(timer(event.type).due);
      else actor.send(event);
      await flush();
    },
    async untilJustBefore(eventType) {
      clock.set(timer(eventType).due - 1);
      await flush();
    },
  };
}
