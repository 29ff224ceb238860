// Names and versions that every layer shows the same way.
export const PRODUCT_NAME = "Cellcert";

/** The rule catalog's version (DESIGN §4); recorded in every run and on every certificate. */
export const RULESET_VERSION = "cells-2021";
