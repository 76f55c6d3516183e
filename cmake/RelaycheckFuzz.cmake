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
endif()

function(relaycheck_add_fuzzer name source)
  cmake_parse_arguments(ARG "" "CORPUS" "LIBS" ${ARGN})
  add_executable(${name} ${source})
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
