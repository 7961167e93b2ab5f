import type { z } from 'zod';
import { closestName } from './closest-name.js';

/**
 * Turns a schema's validation issues into plain problems, one per field. An unknown key is the
 * dangerous kind (a typo such as `"shadowmode"` would otherwise be dropped and the run would
 * behave as if the setting were absent), so each one names the key and the valid key it most
 * likely meant, and these come first.
 */
export interface SchemaProblem {
  path: string;
  message: string;
}

interface SchemaNode {
  _zod: {
    def: {
      type: string;
      shape?: Record<string, SchemaNode>;
      innerType?: SchemaNode;
      element?: SchemaNode;
      in?: SchemaNode;
      options?: SchemaNode[];
      values?: unknown[];
    };
  };
}

export function schemaProblems(schema: z.ZodType, input: unknown, issues: readonly z.core.$ZodIssue[], rootLabel: string): SchemaProblem[] {
  const unknownKeys: SchemaProblem[] = [];
  const others: SchemaProblem[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      const validKeys = keysAt(schema as unknown as SchemaNode, input, issue.path);
      for (const key of issue.keys) {
        const closest = closestName(key, validKeys);
        const hint = closest ? `did you mean "${closest}"?` : `the keys allowed here are ${validKeys.map((name) => `"${name}"`).join(', ')}`;
        unknownKeys.push({ path: [...issue.path, key].join('.'), message: `unknown key "${key}"; ${hint}` });
      }
    } else {
      others.push({ path: issue.path.join('.') || rootLabel, message: issue.message });
    }
  }
  return [...unknownKeys, ...others];
}

/** The keys the object schema at `path` allows, following the input through unions. */
function keysAt(root: SchemaNode, input: unknown, path: readonly PropertyKey[]): string[] {
  let node: SchemaNode | undefined = root;
  let value = input;
  for (const segment of path) {
    const list = arrayNode(node);
    if (list) {
      node = list;
      value = Array.isArray(value) ? value[Number(segment)] : undefined;
      continue;
    }
    const object = objectNode(node, value);
    node = object?._zod.def.shape?.[String(segment)];
    value = isRecord(value) ? value[String(segment)] : undefined;
  }
  return Object.keys(objectNode(node, value)?._zod.def.shape ?? {});
}

/** Unwraps defaults, optionals and pipes; picks the union member whose literal fields match the input. */
function objectNode(node: SchemaNode | undefined, value: unknown): SchemaNode | undefined {
  if (!node) return undefined;
  const def = node._zod.def;
  if (def.type === 'object') return node;
  const inner = def.innerType ?? def.in;
  if (inner) return objectNode(inner, value);
  if (def.type === 'union' && def.options) {
    const members = def.options.map((option) => objectNode(option, value)).filter((member) => member !== undefined);
    return members.find((member) => literalsMatch(member, value)) ?? members[0];
  }
  return undefined;
}

/** The element schema when the node (through defaults and optionals) is an array, as the business rules are. */
function arrayNode(node: SchemaNode | undefined): SchemaNode | undefined {
  if (!node) return undefined;
  const def = node._zod.def;
  if (def.type === 'array') return def.element;
  const inner = def.innerType ?? def.in;
  return inner ? arrayNode(inner) : undefined;
}

function literalsMatch(member: SchemaNode, value: unknown): boolean {
  const shape = member._zod.def.shape ?? {};
  return Object.entries(shape).every(
    ([key, field]) => field._zod.def.type !== 'literal' || (isRecord(value) && (field._zod.def.values ?? []).includes(value[key])),
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
