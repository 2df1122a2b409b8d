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
  # hnswlib 0.6's SSE path prefetches the link after the last one
  # (hnswalg.h: *(datal + j + 1)), reading 4 bytes past an upper layer's
  # link list. The read stays inside malloc's chunk (the lists are 68*L+1
  # bytes, the chunks 8-byte multiples) and only feeds a prefetch, so
  # release builds keep it; here it would fail every HNSW test, so hnswlib is
  # built without its hand-vectorised paths (our distance kernel is our own).
  add_compile_definitions(NO_MANUAL_VECTORIZATION)
endif()
