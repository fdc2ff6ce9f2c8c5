#include "gateway/http/static_files.hpp"

#include <algorithm>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <unistd.h>

// The consoles' files: exact paths only, the right headers, gzip when the
// client takes it, and nothing for a path that is not one of theirs.
namespace baton::gateway {
namespace {

namespace fs = std::filesystem;

class StaticFilesTest : public ::testing::Test {
protected:
  StaticFilesTest() {
    auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path()
           / ("baton-static-" + std::string{info->name()} + "-"
              + std::to_string(::getpid()));
    fs::create_directories(dir_ / "assets");
    write("index.html", "<h1>Demo centre</h1>");
    write("widget.html", "<div id=app></div>");
    write("widget.js", "loader()");
    write("assets/widget-1A2B.js", std::string(4000, 'x'));
    write("assets/widget-1A2B.js.gz", "GZIPPED");
  }
  ~StaticFilesTest() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  void write(const std::string& rel, std::string_view text) {
    std::ofstream{dir_ / rel, std::ios::binary} << text;
  }

  static_files load(std::string_view prefix = "") {
    auto loaded = static_files::load(dir_, prefix);
    if (auto* why = std::get_if<std::string>(&loaded))
      ADD_FAILURE() << *why;
    return std::get<static_files>(std::move(loaded));
  }

  static http_request_info get(std::string_view target) {
    return {.get = true, .target = target};
  }

  static std::string header(const http_route& r, std::string_view name) {
    auto it = std::ranges::find(r.headers, name, &http_header::name);
    return it == r.headers.end() ? "(none)" : it->value;
  }

  fs::path dir_;
};

TEST_F(StaticFilesTest, ServesTheLandingPageAndPagesWithoutTheirExtension) {
  auto files = load();
  auto root = serve_static(files, get("/"));
  ASSERT_TRUE(root);
  EXPECT_EQ(root->status, 200u);
  EXPECT_EQ(root->body, "<h1>Demo centre</h1>");
  EXPECT_EQ(root->content_type, "text/html; charset=utf-8");
  auto widget = serve_static(files, get("/widget"));
  ASSERT_TRUE(widget);
  EXPECT_EQ(widget->body, "<div id=app></div>");
  EXPECT_FALSE(serve_static(files, get("/widget.html")))
    << "a page has one address";
  auto loader = serve_static(files, get("/widget.js"));
  ASSERT_TRUE(loader);
  EXPECT_EQ(loader->content_type, "text/javascript; charset=utf-8");
}

TEST_F(StaticFilesTest, TheQueryStringDoesNotChangeTheFile) {
  auto files = load();
  auto r = serve_static(files, get("/widget?queues=sales:Sales&lang=en"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "<div id=app></div>");
}

TEST_F(StaticFilesTest, HashedAssetsAreImmutableAndPagesRevalidate) {
  auto files = load();
  EXPECT_EQ(header(*serve_static(files, get("/assets/widget-1A2B.js")),
                   "Cache-Control"),
            "public, max-age=31536000, immutable");
  for (auto path : {"/", "/widget", "/widget.js"})
    EXPECT_EQ(header(*serve_static(files, get(path)), "Cache-Control"),
              "no-cache")
      << path;
}

TEST_F(StaticFilesTest, EveryFileCarriesAStrictPolicyAndNosniff) {
  auto files = load();
  for (auto path : {"/", "/widget", "/widget.js", "/assets/widget-1A2B.js"}) {
    auto r = serve_static(files, get(path));
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(header(*r, "X-Content-Type-Options"), "nosniff") << path;
    auto csp = header(*r, "Content-Security-Policy");
    EXPECT_NE(csp.find("default-src 'none'"), std::string::npos) << csp;
    EXPECT_NE(csp.find("script-src 'self';"), std::string::npos) << csp;
    EXPECT_NE(csp.find("connect-src 'self';"), std::string::npos) << csp;
    EXPECT_EQ(csp.find("unsafe"), std::string::npos) << csp;
  }
}

TEST_F(StaticFilesTest, OnlyTheWidgetMayBeFramedByOtherSites) {
  auto files = load();
  auto ancestors = [&](std::string_view path) {
    auto csp = header(*serve_static(files, get(path)),
                      "Content-Security-Policy");
    return csp.substr(csp.find("frame-ancestors"));
  };
  EXPECT_EQ(ancestors("/widget"), "frame-ancestors *");
  EXPECT_EQ(ancestors("/"), "frame-ancestors 'self'");
}

TEST_F(StaticFilesTest, SendsThePrecompressedFileWhenGzipIsAccepted) {
  auto files = load();
  auto req = get("/assets/widget-1A2B.js");
  req.accept_encoding = "br, gzip;q=0.8";
  auto r = serve_static(files, req);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "GZIPPED");
  EXPECT_EQ(header(*r, "Content-Encoding"), "gzip");
  EXPECT_EQ(header(*r, "Vary"), "Accept-Encoding");

  auto gzip_etag = header(*r, "ETag");

  req.accept_encoding = "gzip;q=0";
  r = serve_static(files, req);
  EXPECT_NE(header(*r, "ETag"), gzip_etag) << "two representations";
  EXPECT_EQ(r->body, std::string(4000, 'x'));
  EXPECT_EQ(header(*r, "Content-Encoding"), "(none)");
  EXPECT_EQ(header(*r, "Vary"), "Accept-Encoding");
}

TEST_F(StaticFilesTest, AFileWithoutAGzipCopyIsSentAsItIs) {
  auto files = load();
  auto req = get("/widget.js");
  req.accept_encoding = "gzip";
  auto r = serve_static(files, req);
  EXPECT_EQ(r->body, "loader()");
  EXPECT_EQ(header(*r, "Content-Encoding"), "(none)");
  EXPECT_EQ(header(*r, "Vary"), "(none)");
  EXPECT_FALSE(serve_static(files, get("/assets/widget-1A2B.js.gz")))
    << "a .gz is a body, not a file of its own";
}

TEST_F(StaticFilesTest, ReadsAcceptEncodingAsRfc9110Says) {
  EXPECT_TRUE(accepts_gzip("gzip"));
  EXPECT_TRUE(accepts_gzip("deflate, GZIP"));
  EXPECT_TRUE(accepts_gzip("*"));
  EXPECT_TRUE(accepts_gzip("gzip;q=0.001"));
  EXPECT_FALSE(accepts_gzip(""));
  EXPECT_FALSE(accepts_gzip("br, deflate"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0"));
  EXPECT_FALSE(accepts_gzip("gzip; q=0.000"));
  EXPECT_FALSE(accepts_gzip("*, gzip;q=0")) << "the explicit coding wins";
  EXPECT_TRUE(accepts_gzip("*;q=0, gzip")) << "the explicit coding wins";
  EXPECT_FALSE(accepts_gzip("gzipped, xgzip"));
}

TEST_F(StaticFilesTest, AnswersNotModifiedToAClientThatHasTheFile) {
  auto files = load();
  auto etag = header(*serve_static(files, get("/widget")), "ETag");
  ASSERT_EQ(etag.front(), '"');
  auto req = get("/widget");
  std::string held = "\"other\", W/" + etag;
  req.if_none_match = held;
  auto r = serve_static(files, req);
  EXPECT_EQ(r->status, 304u);
  EXPECT_TRUE(r->body.empty());
  EXPECT_EQ(header(*r, "ETag"), etag);
  req.if_none_match = "\"other\"";
  EXPECT_EQ(serve_static(files, req)->status, 200u);
  EXPECT_NE(header(*serve_static(files, get("/widget.js")), "ETag"), etag)
    << "another content, another tag";
}

TEST_F(StaticFilesTest, AGzippedCopyIsNotModifiedOnlyForItsOwnTag) {
  auto files = load();
  auto req = get("/assets/widget-1A2B.js");
  req.accept_encoding = "gzip";
  auto gzip_etag = header(*serve_static(files, req), "ETag");
  req.if_none_match = gzip_etag;
  EXPECT_EQ(serve_static(files, req)->status, 304u);
  req.accept_encoding = "";
  EXPECT_EQ(serve_static(files, req)->status, 200u)
    << "the plain body is another representation";
}

TEST_F(StaticFilesTest, OtherMethodsAreRefusedWithAllow) {
  auto files = load();
  http_request_info post{.target = "/widget"};
  auto r = serve_static(files, post);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 405u);
  EXPECT_EQ(header(*r, "Allow"), "GET, HEAD");
  EXPECT_EQ(r->body, R"({"code":"bad_request","message":"the method is not )"
                     R"(allowed on /widget: use GET or HEAD"})");
  http_request_info head{.head = true, .target = "/widget"};
  EXPECT_EQ(serve_static(files, head)->status, 200u);
}

TEST_F(StaticFilesTest, PathsThatAreNotExactlyAFileAreNotTheirs) {
  write("secret.txt", "not below the directory");
  auto files = load();
  for (auto target :
       {"/widget/", "//widget", "/assets/../widget", "/assets/%2e%2e/widget",
        "/./widget", "/WIDGET", "/widget%00", "/../secret.txt", "/assets",
        "/assets/", "", "*", "http://host/widget", "/index.html"})
    EXPECT_FALSE(serve_static(files, get(target))) << target;
  EXPECT_FALSE(serve_static(files, get("/" + std::string(100000, 'a'))));
  http_request_info upgrade{.get = true, .upgrade = true, .target = "/widget"};
  EXPECT_FALSE(serve_static(files, upgrade)) << "upgrades go to /v1/ws";
}

TEST_F(StaticFilesTest, LeavesOutHiddenFilesUnknownTypesAndLinks) {
  write(".env", "KEY=1");
  write("notes.md", "# notes");
  write("tool.sh", "rm -rf /");
  fs::create_directories(dir_ / ".git");
  write(".git/config.json", "{}");
  fs::create_symlink("/etc/hostname", dir_ / "host.txt");
  auto files = load();
  EXPECT_EQ(files.size(), 4u) << "index, widget, widget.js, one asset";
  for (auto target :
       {"/.env", "/notes.md", "/tool.sh", "/.git/config.json", "/host.txt"})
    EXPECT_FALSE(serve_static(files, get(target))) << target;
}

TEST_F(StaticFilesTest, AFileThatWouldHideAnEndpointIsRefused) {
  write("metrics.html", "fake metrics");
  auto loaded = static_files::load(dir_, "");
  ASSERT_TRUE(std::holds_alternative<std::string>(loaded));
  EXPECT_EQ(std::get<std::string>(loaded),
            "metrics.html would hide the endpoint /metrics");
}

TEST_F(StaticFilesTest, AMissingDirectoryIsNamed) {
  auto loaded = static_files::load(dir_ / "nowhere", "");
  ASSERT_TRUE(std::holds_alternative<std::string>(loaded));
  EXPECT_EQ(std::get<std::string>(loaded),
            "no such directory: " + (dir_ / "nowhere").string());
}

TEST_F(StaticFilesTest, APrefixMovesEveryFileAndTheBarePrefixRedirects) {
  auto files = load("/chat");
  EXPECT_EQ(serve_static(files, get("/chat/"))->body, "<h1>Demo centre</h1>");
  EXPECT_EQ(serve_static(files, get("/chat/widget"))->body,
            "<div id=app></div>");
  EXPECT_TRUE(serve_static(files, get("/chat/assets/widget-1A2B.js")));
  EXPECT_FALSE(serve_static(files, get("/")));
  EXPECT_FALSE(serve_static(files, get("/widget")));
  auto bare = serve_static(files, get("/chat"));
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->status, 308u);
  EXPECT_EQ(header(*bare, "Location"), "/chat/");
}

TEST(StaticContentTypeTest, KnowsTheTypesABuildWritesAndNoOthers) {
  EXPECT_EQ(static_content_type("a.css"), "text/css; charset=utf-8");
  EXPECT_EQ(static_content_type("a.svg"), "image/svg+xml");
  EXPECT_EQ(static_content_type("a.png"), "image/png");
  EXPECT_EQ(static_content_type("a.js.map"), "application/json");
  EXPECT_EQ(static_content_type("a.exe"), "");
  EXPECT_EQ(static_content_type("js"), "");
}

} // namespace
} // namespace baton::gateway
