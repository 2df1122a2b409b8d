# The asan preset turns this on: AddressSanitizer + UndefinedBehaviorSanitizer
# for every target, so the tests double as memory-safety checks.
if(PL_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
