# Precompiled headers for the third-party headers nearly every TU parses: nlohmann/json (most
# of harness/, reports/, cs594 and moose), Boost.Asio (the targets, load, netfuzz, the server)
# and GoogleTest (every test). Measured with bench/build_time.sh. Three owners compile a header
# set once; the project's targets reuse theirs (REUSE_FROM), so a fresh build parses each set
# once instead of once per TU. -DRELAYCHECK_PCH=OFF builds without (the bench's "before").
# Never in the clang/libFuzzer fuzz-only build (its flags differ per target), nor in
# relaycheck-server-planted (sanitizer flags would make the header unusable).
option(RELAYCHECK_PCH "Precompile the heavy third-party headers (json, Asio, GoogleTest)" ON)

set(RELAYCHECK_PCH_DIR ${CMAKE_CURRENT_LIST_DIR}/pch)

# relaycheck_pch_owner(NAME HEADER LIBS...): an object library that only compiles HEADER's
# precompiled form, with the project's flags, for others to reuse.
function(relaycheck_pch_owner name header)
  add_library(${name} OBJECT ${RELAYCHECK_PCH_DIR}/empty.cc)
  target_link_libraries(${name} PRIVATE ${ARGN})
  target_precompile_headers(${name} PRIVATE ${RELAYCHECK_PCH_DIR}/${header})
  relaycheck_warnings(${name})
endfunction()

# relaycheck_use_pch(OWNER TARGET...): each TARGET that exists reuses OWNER's header.
function(relaycheck_use_pch owner)
  if(NOT TARGET ${owner})
    return()
  endif()
  foreach(target IN LISTS ARGN)
    if(TARGET ${target})
      target_precompile_headers(${target} REUSE_FROM ${owner})
    endif()
  endforeach()
endfunction()

# Found whether or not the option is on, so the targets below see the same packages either way.
if(NOT RELAYCHECK_FUZZ_ONLY)
  find_package(Boost 1.81 REQUIRED)
  find_package(nlohmann_json REQUIRED)
endif()
if(RELAYCHECK_PCH AND NOT RELAYCHECK_FUZZ_ONLY)
  relaycheck_pch_owner(relaycheck_pch_json json.h nlohmann_json::nlohmann_json)
  relaycheck_pch_owner(relaycheck_pch_asio asio.h nlohmann_json::nlohmann_json Boost::headers)
  relaycheck_use_pch(relaycheck_pch_json relaycheck_reports relaycheck_proto_cs594 relaycheck_proto_moose)
  relaycheck_use_pch(relaycheck_pch_asio relaycheck_harness relaycheck_load relaycheck_netfuzz relaycheck_cli
    relaycheck relaycheck_net relaycheck_server_options relaycheck-server)
  if(RELAYCHECK_TESTS)
    find_package(GTest REQUIRED)
    relaycheck_pch_owner(relaycheck_pch_test test.h nlohmann_json::nlohmann_json Boost::headers GTest::gtest)
  endif()
endif()

# Called by relaycheck_add_test for each test binary.
function(relaycheck_test_pch target)
  relaycheck_use_pch(relaycheck_pch_test ${target})
endfunction()
