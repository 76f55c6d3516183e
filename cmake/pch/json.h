// Precompiled for the json-using libraries (cmake/RelaycheckPch.cmake): the heavy third-party
// header and the standard headers nearly every TU includes.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>
