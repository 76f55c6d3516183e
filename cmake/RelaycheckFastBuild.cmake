# Build-time measures (issue 24, bench/build_time.sh): -DRELAYCHECK_FAST_BUILD=OFF restores the
# build as it was before them, for the bench's "before" and for anyone who wants that build.
# - Unity builds: the libraries and binaries compile their sources in batches, so nlohmann/json's
#   and Asio's templates are instantiated and code-generated once per batch, not once per file.
# - Line-tables debug info (-g1) in RelWithDebInfo: full -g spends much of the build describing
#   json's templates. -DRELAYCHECK_FULL_DEBUG_INFO=ON (or CMAKE_BUILD_TYPE=Debug) gives full -g.
option(RELAYCHECK_FAST_BUILD "Unity builds and line-tables debug info (-g1) in RelWithDebInfo" ON)
option(RELAYCHECK_FULL_DEBUG_INFO "Full debug info (-g) in RelWithDebInfo even with RELAYCHECK_FAST_BUILD" OFF)

# Every target made after this line (included before the subdirectories).
if(RELAYCHECK_FAST_BUILD AND NOT RELAYCHECK_FULL_DEBUG_INFO AND NOT RELAYCHECK_FUZZ_ONLY)
  add_compile_options($<$<CONFIG:RelWithDebInfo>:-g1>)
endif()

# relaycheck_unity_build(BATCH TARGET...): each TARGET that exists compiles in unity batches of
# BATCH files. Called after the targets are made (CMakeLists.txt).
function(relaycheck_unity_build batch)
  if(NOT RELAYCHECK_FAST_BUILD OR RELAYCHECK_FUZZ_ONLY)
    return()
  endif()
  foreach(target IN LISTS ARGN)
    if(TARGET ${target})
      set_target_properties(${target} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE ${batch})
    endif()
  endforeach()
endfunction()

# relaycheck_unity_skip(TARGET FILE...): FILEs (relative to the source root) compile alone, not in
# TARGET's unity batches: their file-local helpers have the same names as another file's.
function(relaycheck_unity_skip target)
  if(NOT TARGET ${target})
    return()
  endif()
  list(TRANSFORM ARGN PREPEND ${CMAKE_SOURCE_DIR}/)
  set_source_files_properties(${ARGN} TARGET_DIRECTORY ${target} PROPERTIES SKIP_UNITY_BUILD_INCLUSION ON)
endfunction()
