# RELAYCHECK_SANITIZE=ON instruments everything with ASan and UBSan (used by fuzz and bench builds).
if(RELAYCHECK_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
