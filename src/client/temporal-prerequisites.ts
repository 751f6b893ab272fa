import { isGrpcServiceError, type Connection } from '@temporalio/client';
import type { SearchAttributeType } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { ConfigError } from '../config';
import { SEARCH_ATTRIBUTE_KEYS } from '../workflows/search-attributes';

type IndexedValueType = temporal.api.enums.v1.IndexedValueType;
const { IndexedValueType } = temporal.api.enums.v1;

/** gRPC status codes we tell apart (grpc-js `status`). */
const NOT_FOUND = 5;
const ALREADY_EXISTS = 6;
const PERMISSION_DENIED = 7;
const UNIMPLEMENTED = 12;

/** The `temporal` CLI's spelling of each type (`--type`). */
const CLI_TYPE: Record<SearchAttributeType, string> = {
  TEXT: 'Text',
  KEYWORD: 'Keyword',
  INT: 'Int',
  DOUBLE: 'Double',
  BOOL: 'Bool',
  DATETIME: 'Datetime',
  KEYWORD_LIST: 'KeywordList',
};

/** A search attribute the workflows set: name and type, as `SEARCH_ATTRIBUTE_KEYS` declares them. */
export interface SearchAttributeSpec {
  name: string;
  type: SearchAttributeType;
}

/** The operator calls {@link ensureTemporalPrerequisites} makes (the connection's operator service by default). */
export interface SearchAttributeOperator {
  listSearchAttributes(req: {
    namespace: string;
  }): Promise<{ customAttributes?: Record<string, IndexedValueType> | null }>;
  addSearchAttributes(req: { namespace: string; searchAttributes: Record<string, IndexedValueType> }): Promise<unknown>;
}

/** Options of {@link ensureTemporalPrerequisites}. */
export interface PrerequisiteOptions {
  namespace: string;
  /** The server's address, quoted in messages and in the commands they give. */
  address: string;
  /** One line when attributes were registered (or could not be listed). */
  log: (line: string) => void;
  /** Replaces the connection's operator service (tests simulate a server that refuses to register). */
  operator?: SearchAttributeOperator;
  /** Attributes to require. @default every key of `SEARCH_ATTRIBUTE_KEYS` */
  attributes?: readonly SearchAttributeSpec[];
  /** How long a registration may take to become visible. @default 10 s */
  visibleWithinMs?: number;
}

/** What {@link ensureTemporalPrerequisites} did. */
export interface PrerequisiteReport {
  /** Attributes that were missing and were registered by this call. */
  registered: string[];
  /** False when the server would not list its search attributes (permission): they were assumed present. */
  verified: boolean;
}

/** The `temporal` CLI's spelling of a search attribute type (`--type`). */
export function cliType(type: SearchAttributeType): string {
  return CLI_TYPE[type];
}

function indexedType(type: SearchAttributeType): IndexedValueType {
  return IndexedValueType[`INDEXED_VALUE_TYPE_${type}`];
}

function typeName(value: IndexedValueType): string {
  const name = IndexedValueType[value]?.replace('INDEXED_VALUE_TYPE_', '') as SearchAttributeType | undefined;
  return name && name in CLI_TYPE ? cliType(name) : String(value);
}

function grpcCode(err: unknown): number | undefined {
  if (isGrpcServiceError(err)) return err.code;
  const cause = (err as { cause?: unknown } | undefined)?.cause;
  return isGrpcServiceError(cause) ? cause.code : undefined;
}

function firstLine(err: unknown): string {
  return ((err as Error)?.message ?? String(err)).split('\n')[0]!;
}

/**
 * The exact command that registers `attributes` in `namespace` (one `--name`/`--type` pair each; the CLI skips an
 * attribute that exists with the same type).
 */
export function searchAttributeCreateCommand(
  namespace: string,
  address: string,
  attributes: readonly SearchAttributeSpec[]
): string {
  const pairs = attributes.map((a) => `--name ${a.name} --type ${cliType(a.type)}`).join(' ');
  return `temporal operator search-attribute create --namespace ${namespace} --address ${address} ${pairs}`;
}

/**
 * Checks, before a command starts anything, that the Temporal server has what the harness needs: the namespace, and
 * the search attributes our workflows set (`src/workflows/search-attributes.ts`; a workflow that upserts an
 * unregistered attribute fails its workflow task over and over, so a suite would hang instead of running). Missing
 * attributes are registered where the server permits it (operator service `AddSearchAttributes`), with one line
 * saying so.
 *
 * @throws ConfigError (exit code 2), one line: the namespace does not exist (naming it and the command that creates
 * it); an attribute exists with another type; or registering was refused, naming the missing attributes and the exact
 * `temporal operator search-attribute create` command.
 */
export async function ensureTemporalPrerequisites(
  connection: Connection,
  opts: PrerequisiteOptions
): Promise<PrerequisiteReport> {
  const { namespace, address } = opts;
  const operator: SearchAttributeOperator = opts.operator ?? connection.operatorService;
  const wanted = opts.attributes ?? SEARCH_ATTRIBUTE_KEYS.map((k) => ({ name: k.name, type: k.type }));

  try {
    await connection.workflowService.describeNamespace({ namespace });
  } catch (err) {
    if (grpcCode(err) === NOT_FOUND) {
      throw new ConfigError(
        `Temporal namespace '${namespace}' does not exist at ${address}: create it ` +
          `(temporal operator namespace create --namespace ${namespace} --address ${address}) or set TEMPORAL_NAMESPACE`
      );
    }
    // Some servers let a client use a namespace without describing it: the list below still tells.
    if (grpcCode(err) !== PERMISSION_DENIED) {
      throw new ConfigError(`cannot read Temporal namespace '${namespace}' at ${address}: ${firstLine(err)}`);
    }
  }

  let existing: Record<string, IndexedValueType>;
  try {
    existing = (await operator.listSearchAttributes({ namespace })).customAttributes ?? {};
  } catch (err) {
    const code = grpcCode(err);
    if (code === NOT_FOUND) {
      throw new ConfigError(`Temporal namespace '${namespace}' does not exist at ${address}: set TEMPORAL_NAMESPACE`);
    }
    if (code === PERMISSION_DENIED || code === UNIMPLEMENTED) {
      opts.log(
        `warning: cannot list the search attributes of namespace '${namespace}' (${firstLine(err)}); assuming ` +
          `${wanted.map((a) => a.name).join(', ')} exist (else: ${searchAttributeCreateCommand(namespace, address, wanted)})`
      );
      return { registered: [], verified: false };
    }
    throw new ConfigError(
      `cannot list the search attributes of namespace '${namespace}' at ${address}: ${firstLine(err)}`
    );
  }

  const wrongType = wanted.filter((a) => a.name in existing && existing[a.name] !== indexedType(a.type));
  if (wrongType.length > 0) {
    const what = wrongType.map((a) => `${a.name} is ${typeName(existing[a.name]!)}, needs ${cliType(a.type)}`);
    const removes = wrongType
      .map(
        (a) =>
          `temporal operator search-attribute remove --namespace ${namespace} --address ${address} --name ${a.name}`
      )
      .join(' && ');
    throw new ConfigError(
      `Temporal namespace '${namespace}' at ${address} has search attributes of the wrong type (${what.join('; ')}): ` +
        `${removes} && ${searchAttributeCreateCommand(namespace, address, wrongType)}`
    );
  }

  const missing = wanted.filter((a) => !(a.name in existing));
  if (missing.length === 0) return { registered: [], verified: true };

  const names = missing.map((a) => a.name).join(', ');
  const command = searchAttributeCreateCommand(namespace, address, missing);
  try {
    await operator.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((a) => [a.name, indexedType(a.type)])),
    });
  } catch (err) {
    // ALREADY_EXISTS when another command registered them at the same moment: the check below sees them.
    if (grpcCode(err) !== ALREADY_EXISTS) {
      throw new ConfigError(
        `Temporal namespace '${namespace}' at ${address} lacks the search attributes ${names}, and registering them ` +
          `was refused (${firstLine(err)}); create them with: ${command}`
      );
    }
  }
  // Registration reaches the visibility store asynchronously on some servers: wait until the list shows it.
  const deadline = Date.now() + (opts.visibleWithinMs ?? 10_000);
  for (;;) {
    const now = (await operator.listSearchAttributes({ namespace })).customAttributes ?? {};
    const still = missing.filter((a) => !(a.name in now));
    if (still.length === 0) break;
    if (Date.now() >= deadline) {
      throw new ConfigError(
        `Temporal namespace '${namespace}' at ${address} still lacks the search attributes ` +
          `${still.map((a) => a.name).join(', ')} after registering them; create them with: ${command}`
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  opts.log(`registered the search attributes ${names} in Temporal namespace '${namespace}' at ${address}`);
  return { registered: missing.map((a) => a.name), verified: true };
}
