// A transition cover of a statechart: a small set of paths from the start that, together,
// reach every state and take every transition, each with a readable, unique name.
// xstate/graph explores what `events` offers in each state; the cover keeps the shortest
// path to each state that counts (`stateKeys`), adds one path for each edge that takes
// something not taken yet (`edgeKeys`), and drops every path another path extends.
// Used by the machines' own cover tests and by the e2e traveller paths.
import { getMicrosteps, type AnyMachineSnapshot, type AnyStateMachine, type AnyStateNode } from 'xstate';
import { getAdjacencyMap } from 'xstate/graph';

export type AnyEvent = { type: string; [key: string]: unknown };

export interface Step<TSnapshot = AnyMachineSnapshot> {
  readonly event: AnyEvent;
  readonly state: TSnapshot;
}

export interface CoverPath<TSnapshot = AnyMachineSnapshot> {
  readonly name: string;
  readonly steps: readonly Step<TSnapshot>[];
}

export interface CoverSpec<TSnapshot extends AnyMachineSnapshot> {
  readonly machine: AnyStateMachine;
  readonly input?: unknown;
  /** What the world can do in this state (people, the reader, actor results, timers). */
  events(snapshot: TSnapshot): AnyEvent[];
  /** What makes two snapshots behave differently. */
  serialize(snapshot: TSnapshot): string;
  /** What reaching this snapshot counts for; the cover reaches each at least once. */
  stateKeys(snapshot: TSnapshot): readonly string[];
  /** What this edge counts for; the cover takes each at least once. */
  edgeKeys(from: TSnapshot, event: AnyEvent, to: TSnapshot): readonly string[];
  /** A step's name in the path's name; null leaves it out (a step the machine takes by itself). */
  stepName(event: AnyEvent, before: TSnapshot): string | null;
  /** Steps that follow by themselves: a path ending where one is offered goes on with it. */
  continues?(event: AnyEvent): boolean;
}

export interface Cover<TSnapshot> {
  readonly paths: CoverPath<TSnapshot>[];
  /** How many distinct snapshots (by `serialize`) the traversal found. */
  readonly states: number;
  /** How many distinct edge keys the traversal found. */
  readonly edges: number;
}

/** Errors are compared by their code and message, not as `{}`. */
export function serializeEvent(event: AnyEvent): string {
  return JSON.stringify(event, (_key, value: unknown) =>
    value instanceof Error ? { error: value.name, message: value.message, code: (value as { code?: unknown }).code } : value,
  );
}

export function transitionCover<TSnapshot extends AnyMachineSnapshot>(spec: CoverSpec<TSnapshot>): Cover<TSnapshot> {
  const traversal = {
    events: (snapshot: TSnapshot) => spec.events(snapshot),
    serializeState: (snapshot: TSnapshot) => spec.serialize(snapshot),
    serializeEvent,
    ...(spec.input === undefined ? {} : { input: spec.input }),
  };
  type Edge = { event: AnyEvent; state: TSnapshot };
  const adjacency = getAdjacencyMap(spec.machine, traversal as never) as unknown as Record<
    string,
    { state: TSnapshot; transitions: Record<string, Edge> }
  >;
  // Shortest paths, breadth first over the same map (as xstate/graph's getShortestPaths
  // finds them, in the same order, without exploring the machine twice).
  const [start] = Object.keys(adjacency);
  const byState = new Map<string, Step<TSnapshot>[]>();
  if (start !== undefined) {
    byState.set(start, [{ event: { type: 'xstate.init' }, state: (adjacency[start] as { state: TSnapshot }).state }]);
  }
  for (const [stateKey, steps] of byState) {
    for (const edge of Object.values(adjacency[stateKey]?.transitions ?? {})) {
      const next = spec.serialize(edge.state);
      if (!byState.has(next)) byState.set(next, [...steps, { event: edge.event, state: edge.state }]);
    }
  }
  // What each edge counts for, worked out once.
  const edgeKeyCache = new Map<string, readonly string[]>();
  const keysOf = (from: TSnapshot, event: AnyEvent, to: TSnapshot) => {
    const id = `${spec.serialize(from)} ${serializeEvent(event)}`;
    let keys = edgeKeyCache.get(id);
    if (!keys) edgeKeyCache.set(id, (keys = spec.edgeKeys(from, event, to)));
    return keys;
  };

  const stateCovered = new Set<string>();
  const edgeCovered = new Set<string>();
  const allEdgeKeys = new Set<string>();
  const candidates: Step<TSnapshot>[][] = [];
  const take = (steps: Step<TSnapshot>[]) => {
    candidates.push(steps);
    steps.forEach((step, i) => {
      for (const key of spec.stateKeys(step.state)) stateCovered.add(key);
      const before = steps[i - 1]?.state;
      if (before) for (const key of keysOf(before, step.event, step.state)) edgeCovered.add(key);
    });
  };
  // The shortest path to every state that reaches something new...
  for (const steps of byState.values()) {
    if (spec.stateKeys(steps.at(-1)?.state as TSnapshot).some((key) => !stateCovered.has(key))) take([...steps]);
  }
  // ...and one path for every edge that takes something new.
  for (const [stateKey, { transitions }] of Object.entries(adjacency)) {
    const steps = byState.get(stateKey);
    const from = steps?.at(-1)?.state;
    if (!steps || !from) continue;
    for (const edge of Object.values(transitions)) {
      const keys = keysOf(from, edge.event, edge.state);
      for (const key of keys) allEdgeKeys.add(key);
      if (keys.some((key) => !edgeCovered.has(key))) take([...steps, { event: edge.event, state: edge.state }]);
    }
  }
  // A path that ends waiting (a card being read, orders looked up) goes on with the answer.
  if (spec.continues) {
    for (const steps of candidates) {
      for (let more = 0; more < 5; more++) {
        const last = steps.at(-1)?.state;
        const edges = last ? adjacency[spec.serialize(last)]?.transitions : undefined;
        const next = edges && Object.values(edges).find((e) => spec.continues?.(e.event));
        if (!next) break;
        steps.push({ event: next.event, state: next.state });
      }
    }
  }
  // Keep only the paths no other path extends.
  const keyOf = (steps: readonly Step<TSnapshot>[]) => steps.map((s) => serializeEvent(s.event)).join('>');
  const keys = candidates.map(keyOf);
  const kept = candidates.filter((_steps, i) => {
    const key = keys[i] ?? '';
    return keys.indexOf(key) === i && !keys.some((other, j) => j !== i && other.startsWith(`${key}>`));
  });
  const paths = kept.map((steps) => ({
    steps,
    name: steps
      .map((step, i) => (i === 0 ? null : spec.stepName(step.event, (steps[i - 1] as Step<TSnapshot>).state)))
      .filter((name): name is string => name !== null)
      .join(' → '),
  }));
  return { paths, states: byState.size, edges: allEdgeKeys.size };
}

/** The state nodes a snapshot is in. */
export function activeNodes(snapshot: AnyMachineSnapshot): AnyStateNode[] {
  return (snapshot as unknown as { _nodes: AnyStateNode[] })._nodes;
}

export function* allNodes(node: AnyStateNode): Generator<AnyStateNode> {
  yield node;
  for (const child of Object.values(node.states)) yield* allNodes(child);
}

/** A transition's name: its source, event and place among that event's transitions. */
function transitionKey(node: AnyStateNode, eventType: string, index: number): string {
  return `${node.id} --${eventType}--> #${String(index)}`;
}

/** Every transition the chart defines, eventless ones included. */
export function definedTransitions(machine: AnyStateMachine): string[] {
  const keys: string[] = [];
  for (const node of allNodes(machine.root)) {
    for (const [eventType, defs] of node.transitions) defs.forEach((_def, i) => keys.push(transitionKey(node, eventType, i)));
    (node.always ?? []).forEach((_def, i) => keys.push(transitionKey(node, '(always)', i)));
  }
  return keys;
}

/**
 * The transitions `event` takes from `from`: those it selects, then the eventless ones
 * that follow (worked out microstep by microstep; their guards must be named and plain).
 */
export function transitionsTaken(machine: AnyStateMachine, from: AnyMachineSnapshot, event: AnyEvent): string[] {
  const selected = machine.getTransitionData(from as never, event as never);
  const taken = selected.map((def) => {
    const defs = def.source.transitions.get(def.eventType) ?? [];
    return transitionKey(def.source, def.eventType, defs.indexOf(def));
  });
  // Eventless transitions can only follow where a state that has some is active, or entered.
  const entered = selected.flatMap((def) => def.target ?? []).flatMap((target) => [...allNodes(target)]);
  if (![...activeNodes(from), ...entered].some((node) => (node.always?.length ?? 0) > 0)) return taken;
  const microsteps = getMicrosteps(machine, from as never, event as never).map(([snapshot]) => snapshot);
  // Each microstep after the first is an eventless transition out of the one before.
  for (let i = 1; i < microsteps.length; i++) {
    const fired = eventlessFrom(machine, microsteps[i - 1] as AnyMachineSnapshot, event);
    if (fired) taken.push(fired);
  }
  return taken;
}

function eventlessFrom(machine: AnyStateMachine, snapshot: AnyMachineSnapshot, event: AnyEvent): string | null {
  for (const node of activeNodes(snapshot)) {
    const defs = node.always ?? [];
    for (const [i, def] of defs.entries()) {
      const guard = def.guard;
      if (guard !== undefined && typeof guard !== 'string') throw new Error(`${node.id}: an eventless guard that is not a name`);
      const check = guard === undefined ? undefined : (machine.implementations.guards[guard] as unknown);
      if (guard !== undefined && typeof check !== 'function') throw new Error(`${node.id}: guard ${guard} is not a function`);
      const passes = check === undefined || (check as (args: unknown, params: unknown) => boolean)({ context: snapshot.context, event }, undefined);
      if (passes) return transitionKey(node, '(always)', i);
    }
  }
  return null;
}
