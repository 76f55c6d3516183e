# relaycheck_warnings(target): the project's warning set, applied to its own targets only.
function(relaycheck_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic $<$<CXX_COMPILER_ID:GNU>:-Wshadow=local> -Wno-unused-parameter)
endfunction()
