/* Placeholder so a stage with no sources yet still forms a library. */
typedef int trawl_empty_unit;
