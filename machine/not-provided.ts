import { fromPromise } from 'xstate';

/** A placeholder for an actor that touches the world: kiosk/ provides it with .provide(). */
export function notProvided<TOutput, TInput>(name: string) {
  return fromPromise<TOutput, TInput>(async () => {
    throw new Error(`actor ${name} was not provided`);
  });
}
