# Use ccache when present: rebuilds after a branch switch or a clean clone of
# the same sources become near-instant.
find_program(PL_CCACHE ccache)
if(PL_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_CXX_COMPILER_LAUNCHER ${PL_CCACHE})
endif()
