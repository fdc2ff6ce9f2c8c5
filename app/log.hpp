#pragma once

#include <spdlog/spdlog.h>

/// The process log: spdlog's default logger, set up once at start-up.
namespace baton::app {

void init_logging();

} // namespace baton::app
