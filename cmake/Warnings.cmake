# pl_set_warnings(target): our own code builds clean at -Wall -Wextra; CI
# promotes warnings to errors. Third-party headers come in as SYSTEM.
function(pl_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wno-unused-parameter)
  if(PL_WARNINGS_AS_ERRORS)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
