// A reload's configuration waits in the node's runtime source for the
// directory; actors read the installed runtime back from it.
#include "actors/runtime_source.hpp"

#include <gtest/gtest.h>

#include "actors/runtime.hpp"

namespace baton::actors {
namespace {

std::shared_ptr<const engine::config::config> config_named(const char* q) {
  auto cfg = std::make_shared<engine::config::config>();
  cfg->routing.default_queue = q;
  return cfg;
}

TEST(RuntimeSourceTest, EachStagedConfigurationHasTheNextVersion) {
  runtime_source source;
  auto first = source.stage(config_named("a"));
  auto second = source.stage(config_named("b"));
  EXPECT_EQ(second, first + 1);
  EXPECT_EQ(source.staged(second)->routing.default_queue, "b");
}

TEST(RuntimeSourceTest, AReplacedStageIsGoneSoItsLateVersionIsSkipped) {
  runtime_source source;
  auto older = source.stage(config_named("a"));
  source.stage(config_named("b"));
  EXPECT_EQ(source.staged(older), nullptr);
}

TEST(RuntimeSourceTest, ActorsReadTheInstalledRuntimeWhileSomeoneKeepsIt) {
  runtime_source source;
  EXPECT_EQ(source.current(), nullptr);
  auto rt = std::make_shared<const runtime>(runtime{config_named("a"), 7});
  source.install(rt);
  ASSERT_NE(source.current(), nullptr);
  EXPECT_EQ(source.current()->version, 7u);
  rt.reset(); // the directory let it go: it stopped
  EXPECT_EQ(source.current(), nullptr) << "held weakly: no cycle to leak";
}

} // namespace
} // namespace baton::actors
