// Precompiled for the libraries and binaries that do I/O (cmake/RelaycheckPch.cmake): json plus
// the Boost.Asio headers the targets, load, netfuzz and the server include.
#pragma once
#include "json.h"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
