// Precompiled for every test binary (cmake/RelaycheckPch.cmake): GoogleTest on top of the rest.
#pragma once
#include "asio.h"

#include <gtest/gtest.h>
