// Nothing: the object library exists for its precompiled header (cmake/RelaycheckPch.cmake).
