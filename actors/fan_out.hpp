#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <vector>

#include "caf/event_based_actor.hpp"

namespace baton::actors {

/// How long a fan-out waits for each answer. An actor that is gone answers at
/// once with an error; this only bounds a stuck one.
constexpr auto fan_out_timeout = std::chrono::seconds(5);

/// Asks every target the same question and calls `done` once with every
/// answer that came (in arrival order), without blocking the asking actor.
template <class Answer, class Self, class Handle, class Query>
void fan_out(Self* self, const std::vector<Handle>& targets, Query query,
             std::function<void(std::vector<Answer>)> done) {
  struct gathering {
    std::size_t pending;
    std::vector<Answer> answers;
    std::function<void(std::vector<Answer>)> done;
  };
  if (targets.empty()) {
    done({});
    return;
  }
  auto g = std::make_shared<gathering>(
    gathering{targets.size(), {}, std::move(done)});
  g->answers.reserve(targets.size());
  auto settle = [g] {
    if (--g->pending == 0)
      g->done(std::move(g->answers));
  };
  for (const auto& target : targets)
    self->request(target, fan_out_timeout, query)
      .then(
        [g, settle](Answer& a) {
          g->answers.push_back(std::move(a));
          settle();
        },
        [settle](caf::error&) { settle(); });
}

} // namespace baton::actors
