/** Side effects the core needs, each behind an interface that an adapter implements. */
export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  newId(): string;
}
