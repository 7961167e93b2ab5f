import type { Mapping } from '../mapping/mapping.js';

/** The versions of the mapping: each saved change is a new version, so documents know which one planned them. */
export interface MappingLedger {
  currentMapping(): { version: number; mapping: Mapping } | null;
  /** Saves the mapping as a new version unless it equals the current one; returns the version in force. */
  saveMapping(mapping: Mapping): number;
}
