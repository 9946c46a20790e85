/**
 * Editing an attributes table in place, the same for cases and for documents: a cell's value
 * (with its error kept beside the cell until it is put right) and an attribute's name and type
 * from the attribute dialog. The owner is the screen's state (CasesState, DocumentsState).
 */
import type { AttributeType, Result } from '../core/types';

export interface AttributeOwner {
	setValue(rowId: string, attributeId: string, raw: string): Promise<Result<unknown>>;
	addAttribute(name: string, type: AttributeType): Promise<Result<unknown>>;
	renameAttribute(attributeId: string, name: string): Promise<Result<unknown>>;
	changeType(attributeId: string, type: AttributeType): Promise<Result<unknown>>;
}

export class AttributeEdits {
	readonly #owner: AttributeOwner;
	/** Errors by `rowId:attributeId`. */
	#errors = $state<Record<string, string>>({});

	constructor(owner: AttributeOwner) {
		this.#owner = owner;
	}

	error(rowId: string, attributeId: string): string | undefined {
		return this.#errors[`${rowId}:${attributeId}`];
	}

	async setValue(rowId: string, attributeId: string, raw: string): Promise<void> {
		const r = await this.#owner.setValue(rowId, attributeId, raw);
		const k = `${rowId}:${attributeId}`;
		if (!r.ok) this.#errors = { ...this.#errors, [k]: r.errors.join('; ') };
		else if (this.#errors[k]) {
			const { [k]: _gone, ...rest } = this.#errors;
			this.#errors = rest;
		}
	}

	/** Add an attribute (`attr` null), or rename it and change its type. The errors, or null when saved. */
	async save(attr: { id: string; name: string; type: AttributeType } | null, name: string, type: AttributeType): Promise<string[] | null> {
		if (!attr) {
			const r = await this.#owner.addAttribute(name, type);
			return r.ok ? null : r.errors;
		}
		if (name !== attr.name) {
			const r = await this.#owner.renameAttribute(attr.id, name);
			if (!r.ok) return r.errors;
		}
		if (type !== attr.type) {
			const r = await this.#owner.changeType(attr.id, type);
			if (!r.ok) return r.errors;
		}
		return null;
	}
}
