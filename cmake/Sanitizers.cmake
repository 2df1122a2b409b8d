# The asan preset turns this on: AddressSanitizer + UndefinedBehaviorSanitizer
# for every target, so the tests double as memory-safety checks.
if(PL_SANITIZE)
  # -fvisibility-inlines-hidden: Debian's libtorch_cpu links OpenCV's highgui
  # and so Qt 5; without it, out-of-line copies of Qt 6 inline functions in
  # our executables (sanitizers inline less) interpose on Qt 5's own at load
  # time and crash before main().
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined -fvisibility-inlines-hidden)
  add_link_options(-fsanitize=address,undefined)
endif()
