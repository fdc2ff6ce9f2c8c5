#include "app/log.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>

namespace baton::app {

void init_logging() {
  auto logger = spdlog::stderr_color_mt("baton");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%-5l%$ %v");
  spdlog::set_default_logger(logger);
}

} // namespace baton::app
