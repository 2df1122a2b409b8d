#include <QtTest>

#include "catalog/jsonl_parser.h"

using namespace pl;

namespace {
std::string field(const JsonlParser& p, const RawRecord& r, const std::string& name) {
  const auto& h = p.header();
  for (size_t i = 0; i < h.size(); ++i) {
    if (h[i] == name) return i < r.fields.size() ? r.fields[i] : std::string();
  }
  return "<no column>";
}
}  // namespace

class TestJsonlParser : public QObject {
  Q_OBJECT
 private slots:
  void headerIsUnionOfKeys() {
    JsonlParser p("{\"asin\":\"A1\",\"title\":\"Lamp\"}\n{\"asin\":\"A2\",\"brand\":\"Ikea\"}\n");
    QCOMPARE(p.header(), (std::vector<std::string>{"asin", "title", "brand"}));
  }
  void flattensValues() {
    JsonlParser p(
        "{\"id\":7,\"price\":12.5,\"ok\":true,\"none\":null,\"tags\":[\"a\",\"b\"],"
        "\"categories\":[[\"Home\",\"Lighting\",\"Lamps\"],[\"Sale\"]],\"dims\":{\"w\":3}}\n");
    RawRecord r;
    std::string reason;
    QCOMPARE(p.next(r, reason), ReadOutcome::Record);
    QCOMPARE(field(p, r, "id"), std::string("7"));
    QCOMPARE(field(p, r, "price"), std::string("12.5"));
    QCOMPARE(field(p, r, "ok"), std::string("true"));
    QCOMPARE(field(p, r, "none"), std::string(""));
    QCOMPARE(field(p, r, "tags"), std::string("a > b"));
    QCOMPARE(field(p, r, "categories"), std::string("Home > Lighting > Lamps"));
    QCOMPARE(field(p, r, "dims"), std::string("{\"w\":3}"));
  }
  void badLinesAreReportedAndSkipped() {
    JsonlParser p("{\"id\":1}\n{broken\n[1,2]\n\n{\"id\":2}\n");
    RawRecord r;
    std::string reason;
    QCOMPARE(p.next(r, reason), ReadOutcome::Record);
    QCOMPARE(p.next(r, reason), ReadOutcome::Bad);
    QCOMPARE(r.line, int64_t(2));
    QCOMPARE(reason, std::string("not valid JSON"));
    QCOMPARE(p.next(r, reason), ReadOutcome::Bad);
    QCOMPARE(r.line, int64_t(3));
    QVERIFY(reason.find("expected a JSON object") != std::string::npos);
    QCOMPARE(p.next(r, reason), ReadOutcome::Record);  // blank line 4 skipped
    QCOMPARE(r.line, int64_t(5));
    QCOMPARE(p.next(r, reason), ReadOutcome::End);
  }
  void invalidUtf8IsBad() {
    JsonlParser p("{\"t\":\"caf\xE9\"}\n");
    RawRecord r;
    std::string reason;
    QCOMPARE(p.next(r, reason), ReadOutcome::Bad);
    QVERIFY(reason.find("UTF-8") != std::string::npos);
  }
  void keysAppearingLateExtendTheHeader() {
    std::string text;
    for (int i = 0; i < 1001; ++i) text += "{\"id\":" + std::to_string(i) + "}\n";
    text += "{\"id\":9999,\"late\":\"x\"}\n";
    JsonlParser p(text);
    QCOMPARE(p.header().size(), size_t(1));
    RawRecord r;
    std::string reason;
    while (p.next(r, reason) == ReadOutcome::Record && r.line < 1002) {
    }
    QCOMPARE(p.header().size(), size_t(2));
    QCOMPARE(field(p, r, "late"), std::string("x"));
  }
};

QTEST_APPLESS_MAIN(TestJsonlParser)
#include "test_jsonl_parser.moc"
