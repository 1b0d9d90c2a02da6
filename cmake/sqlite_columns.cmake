# sqlite_columns.cmake: compile data/sqlite-columns.tsv (the built-in SQLite
# column rules, scan/sqlite_rules.c) into trawl_scan as a C array, so that
# the rules travel inside the binary; --columns FILE adds an examiner's own.
set(_tsv ${CMAKE_SOURCE_DIR}/data/sqlite-columns.tsv)
set(_out ${CMAKE_BINARY_DIR}/generated/sqlite_columns_data.c)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${_tsv})
file(READ ${_tsv} _hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," _bytes "${_hex}")
file(WRITE ${_out}.tmp
     "/* generated from data/sqlite-columns.tsv by cmake/sqlite_columns.cmake */\n"
     "const char scan_sqlite_columns_builtin[] = {${_bytes}0};\n")
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different ${_out}.tmp ${_out})
target_sources(trawl_scan PRIVATE ${_out})
