import { randomUUID } from 'node:crypto';
import { LookoutError } from '../../core/lookout-error.js';

/** A definition as the query API keeps it: its fields, its id, and where it is defined. */
export interface Definition {
  id: string;
  name: string;
  source: 'config' | 'api';
}

/** Where a catalog keeps the API's definitions, by id. */
export interface DefinitionStore<D extends Definition> {
  list(): Promise<D[]>;
  get(id: string): Promise<D | undefined>;
  /** Stores a new definition; its id is new (the catalog makes it), so nothing is overwritten. */
  create(definition: D): Promise<void>;
  /** Replaces the definition of `definition.id`; false when there is none. */
  replace(definition: D): Promise<boolean>;
  /** False when there is none of `id`. */
  delete(id: string): Promise<boolean>;
}

/** How a catalog's errors name what it holds. */
export interface CatalogTerms {
  /** The thing in a sentence (`quota`, `alert rule`); capitalised where a message starts with it. */
  noun: string;
  /** The 409 for a change to a config definition (`quota_read_only`). */
  readOnlyCode: string;
  /** The 409 for a name another definition has (`quota_name_taken`). */
  nameTakenCode: string;
}

/**
 * The definitions of one kind (quotas, alert rules) as the query API sees them: the config's,
 * read-only, then the API's, which the store keeps. Names are unique across both, so that a
 * message naming one (a 429 naming a quota, a notification naming a rule) names one; two writes
 * racing with one new name can both pass the check, which only an admin can do.
 */
export class DefinitionCatalog<Input extends { name: string }, D extends Definition & Input> {
  constructor(
    private readonly configDefinitions: readonly D[],
    private readonly store: DefinitionStore<D>,
    private readonly terms: CatalogTerms,
  ) {}

  async list(): Promise<D[]> {
    return [...this.configDefinitions, ...(await this.store.list())];
  }

  async find(id: string): Promise<D> {
    const definition = this.configDefinition(id) ?? (await this.store.get(id));
    if (!definition) throw this.notFound(id);
    return definition;
  }

  async create(input: Input): Promise<D> {
    await this.requireFreeName(input.name);
    const definition = { ...input, id: randomUUID(), source: 'api' } as D;
    await this.store.create(definition);
    return definition;
  }

  async replace(id: string, input: Input): Promise<D> {
    this.requireWritable(id);
    await this.requireFreeName(input.name, id);
    const definition = { ...input, id, source: 'api' } as D;
    if (!(await this.store.replace(definition))) throw this.notFound(id);
    return definition;
  }

  async delete(id: string): Promise<void> {
    this.requireWritable(id);
    if (!(await this.store.delete(id))) throw this.notFound(id);
  }

  private configDefinition(id: string): D | undefined {
    return this.configDefinitions.find((definition) => definition.id === id);
  }

  // 409: the request is well-formed, but the definition's state (where it is defined) forbids it.
  private requireWritable(id: string): void {
    if (this.configDefinition(id)) {
      throw new LookoutError(
        409,
        this.terms.readOnlyCode,
        `${this.capitalised()} ${id} is defined in lookout.config.ts; change it there and deploy`,
      );
    }
  }

  private async requireFreeName(name: string, exceptId?: string): Promise<void> {
    const holder = (await this.list()).find((definition) => definition.name === name && definition.id !== exceptId);
    if (holder) {
      throw new LookoutError(
        409,
        this.terms.nameTakenCode,
        `${this.capitalised()} ${holder.id} is named "${name}" already; each ${this.terms.noun} needs its own name`,
      );
    }
  }

  private notFound(id: string): LookoutError {
    return new LookoutError(404, 'not_found', `No ${this.terms.noun} ${id}`);
  }

  private capitalised(): string {
    return this.terms.noun.charAt(0).toUpperCase() + this.terms.noun.slice(1);
  }
}
