import { randomUUID } from 'node:crypto';

/** Ids are a short kind prefix and a random UUID: unique, unguessable and safe as file names. */
export function newId(kind: 'sp' | 'lp' | 'tn' | 'dv' | 'tp' | 'mm' | 'sr' | 'fc'): string {
  return `${kind}-${randomUUID()}`;
}

export function now(): string {
  return new Date().toISOString();
}
