# relaycheck_add_fuzzer(NAME SOURCE LIBS ... [CORPUS dir]):
# With clang and RELAYCHECK_FUZZ_ONLY, builds NAME as a libFuzzer binary (fuzz/bin/NAME).
# Otherwise builds NAME with the standalone main, which replays files and directories, and
# registers the seed corpus with ctest as a regression test.
include(CheckCXXSourceCompiles)
set(RELAYCHECK_LIBFUZZER OFF)
# How fuzz targets link the fuzzing engine: OSS-Fuzz and ClusterFuzzLite pass $LIB_FUZZING_ENGINE.
set(RELAYCHECK_FUZZ_ENGINE "-fsanitize=fuzzer" CACHE STRING "Link flags of the fuzzing engine")
if(RELAYCHECK_FUZZ_ONLY)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "RELAYCHECK_FUZZ_ONLY needs clang (CXX=clang++)")
  endif()
  set(RELAYCHECK_LIBFUZZER ON)
  add_compile_options(-fsanitize=fuzzer-no-link)
  # Coverage guides the fuzzer by the code under test, not by the harness around it: the
  # targets' checkers, mutators and transcript driver (fuzz/) get no coverage instrumentation
  # (they are still built with the sanitizers). Their edges would only add features that say
  # nothing about the server, and cost time on every run. The list names this tree's fuzz/ by
  # its absolute path, so no other directory called fuzz matches.
  # The generated list is named by its content's hash, so an edit of the list changes the flag and
  # rebuilds what it instruments (CMake re-runs when the list changes).
  set(ignorelist_in ${CMAKE_SOURCE_DIR}/fuzz/coverage_ignorelist.txt.in)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${ignorelist_in})
  file(MD5 ${ignorelist_in} ignorelist_hash)
  string(SUBSTRING ${ignorelist_hash} 0 12 ignorelist_hash)
  set(ignorelist ${CMAKE_BINARY_DIR}/coverage_ignorelist-${ignorelist_hash}.txt)
  configure_file(${ignorelist_in} ${ignorelist} @ONLY)
  add_compile_options(-fsanitize-coverage-ignorelist=${ignorelist})
endif()

function(relaycheck_add_fuzzer name source)
  cmake_parse_arguments(ARG "" "CORPUS" "LIBS" ${ARGN})
  add_executable(${name} ${source})
  # What bench/ needs to build an exec/s benchmark of the same target: its source, libraries,
  # seed corpus and max_len (from <name>.options, as libFuzzer would use it).
  get_filename_component(abs_source ${source} ABSOLUTE)
  get_filename_component(options ${abs_source} NAME_WE)
  get_filename_component(options_dir ${abs_source} DIRECTORY)
  set(max_len 4096)
  if(EXISTS ${options_dir}/${options}.options)
    file(STRINGS ${options_dir}/${options}.options max_len_line REGEX "^max_len[ \t]*=")
    if(max_len_line)
      string(REGEX REPLACE "^max_len[ \t]*=[ \t]*([0-9]+).*" "\\1" max_len "${max_len_line}")
    endif()
  endif()
  set_property(GLOBAL APPEND PROPERTY RELAYCHECK_FUZZ_TARGETS ${name})
  set_property(GLOBAL PROPERTY RELAYCHECK_FUZZ_${name}_SOURCE ${abs_source})
  set_property(GLOBAL PROPERTY RELAYCHECK_FUZZ_${name}_LIBS ${ARG_LIBS})
  set_property(GLOBAL PROPERTY RELAYCHECK_FUZZ_${name}_CORPUS ${ARG_CORPUS})
  set_property(GLOBAL PROPERTY RELAYCHECK_FUZZ_${name}_MAX_LEN ${max_len})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS})
  relaycheck_warnings(${name})
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/fuzz/bin)
  if(RELAYCHECK_LIBFUZZER)
    separate_arguments(engine UNIX_COMMAND "${RELAYCHECK_FUZZ_ENGINE}")
    target_link_options(${name} PRIVATE ${engine})
  else()
    target_link_libraries(${name} PRIVATE relaycheck_fuzz_standalone)
    if(ARG_CORPUS AND COMMAND add_test)
      add_test(NAME fuzz_replay.${name} COMMAND ${name} ${ARG_CORPUS})
      set_tests_properties(fuzz_replay.${name} PROPERTIES TIMEOUT 300)
    endif()
  endif()
endfunction()
