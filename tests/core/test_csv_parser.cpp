#include <QtTest>

#include "catalog/csv_parser.h"

using namespace pl;

namespace {
struct Parsed {
  std::vector<std::vector<std::string>> records;
  std::vector<std::pair<int64_t, std::string>> bad;  // line, reason
  std::vector<int64_t> lines;
};

Parsed parseAll(const std::string& text, char delim = ',') {
  CsvParser p(text, delim);
  Parsed out;
  RawRecord r;
  std::string reason;
  for (;;) {
    auto o = p.next(r, reason);
    if (o == ReadOutcome::End) break;
    if (o == ReadOutcome::Bad) {
      out.bad.emplace_back(r.line, reason);
    } else {
      out.records.push_back(r.fields);
      out.lines.push_back(r.line);
    }
  }
  return out;
}
}  // namespace

class TestCsvParser : public QObject {
  Q_OBJECT
 private slots:
  void readsHeaderAndSimpleRows() {
    CsvParser p("id,title\n1,Shirt\n2,Jeans\n", ',');
    QCOMPARE(p.header(), (std::vector<std::string>{"id", "title"}));
    auto r = parseAll("id,title\n1,Shirt\n2,Jeans\n");
    QCOMPARE(r.records.size(), size_t(2));
    QCOMPARE(r.records[1][1], std::string("Jeans"));
    QCOMPARE(r.lines, (std::vector<int64_t>{2, 3}));
  }
  void quotedFieldsKeepCommasQuotesAndNewlines() {
    auto r = parseAll("id,title\n1,\"Shirt, blue \"\"slim\"\"\"\n2,\"two\nlines\"\n3,x\n");
    QVERIFY(r.bad.empty());
    QCOMPARE(r.records[0][1], std::string("Shirt, blue \"slim\""));
    QCOMPARE(r.records[1][1], std::string("two\nlines"));
    // Line numbers count physical lines, so the row after a multi-line field is on line 5.
    QCOMPARE(r.lines, (std::vector<int64_t>{2, 3, 5}));
  }
  void stripsBomAndHandlesCrlf() {
    auto text = std::string("\xEF\xBB\xBFid,title\r\n1,a\r\n2,\"b\"\r\n");
    CsvParser p(text, ',');
    QCOMPARE(p.header()[0], std::string("id"));
    auto r = parseAll(text);
    QCOMPARE(r.records.size(), size_t(2));
    QCOMPARE(r.records[0][1], std::string("a"));
    QCOMPARE(r.records[1][1], std::string("b"));
  }
  void lastLineWithoutNewlineAndEmptyTrailingField() {
    auto r = parseAll("a,b\n1,\n2,x");
    QCOMPARE(r.records.size(), size_t(2));
    QCOMPARE(r.records[0][1], std::string(""));
    QCOMPARE(r.records[1][1], std::string("x"));
  }
  void skipsBlankLines() {
    auto r = parseAll("a,b\n\n1,2\n\r\n3,4\n\n");
    QCOMPARE(r.records.size(), size_t(2));
    QVERIFY(r.bad.empty());
  }
  void wrongFieldCountIsBadWithLine() {
    auto r = parseAll("a,b\n1,2\n1,2,3\n4\n5,6\n");
    QCOMPARE(r.records.size(), size_t(2));
    QCOMPARE(r.bad.size(), size_t(2));
    QCOMPARE(r.bad[0].first, int64_t(3));
    QVERIFY(r.bad[0].second.find("expected 2 fields, found 3") != std::string::npos);
    QCOMPARE(r.bad[1].first, int64_t(4));
  }
  void textAfterClosingQuoteIsBad() {
    auto r = parseAll("a,b\n1,\"x\"y\n2,ok\n");
    QCOMPARE(r.bad.size(), size_t(1));
    QCOMPARE(r.bad[0].first, int64_t(2));
    QVERIFY(r.bad[0].second.find("after a closing quote") != std::string::npos);
    QCOMPARE(r.records.size(), size_t(1));
    QCOMPARE(r.records[0][1], std::string("ok"));
  }
  void unterminatedQuoteLosesOnlyItsRow() {
    auto r = parseAll("a,b\n1,ok\n2,\"broken\n3,fine\n4,fine\n");
    QCOMPARE(r.bad.size(), size_t(1));
    QCOMPARE(r.bad[0].first, int64_t(3));
    QVERIFY(r.bad[0].second.find("unterminated") != std::string::npos);
    QCOMPARE(r.records.size(), size_t(3));
    QCOMPARE(r.lines, (std::vector<int64_t>{2, 4, 5}));
  }
  void strayQuoteInsideUnquotedFieldIsLiteral() {
    auto r = parseAll("a,b\n1,12\" pizza\n");
    QCOMPARE(r.records.at(0)[1], std::string("12\" pizza"));
  }
  void sniffsDelimiters() {
    QCOMPARE(CsvParser("a;b;c\n1;2;3\n", 0).delimiter(), ';');
    QCOMPARE(CsvParser("a\tb\n1\t2\n", 0).delimiter(), '\t');
    QCOMPARE(CsvParser("\"x;y\",b\n", 0).delimiter(), ',');  // ; inside quotes does not count
  }
  void tsvUsesSameQuotingRules() {
    auto r = parseAll("a\tb\n1\t\"x\ty\"\n", '\t');
    QCOMPARE(r.records.at(0)[1], std::string("x\ty"));
  }
  void normalisesHeaderNames() {
    auto h = normaliseHeader({"id", "", "id", " title "});
    QCOMPARE(h, (std::vector<std::string>{"id", "column_2", "id_2", "title"}));
  }
  void emptyInputHasNoHeader() {
    CsvParser p("", ',');
    QVERIFY(p.header().empty());
    RawRecord r;
    std::string reason;
    QCOMPARE(p.next(r, reason), ReadOutcome::End);
  }
  void reportsBytesReadForProgress() {
    std::string text = "a,b\n1,2\n3,4\n";
    CsvParser p(text, ',');
    RawRecord r;
    std::string reason;
    while (p.next(r, reason) != ReadOutcome::End) {
    }
    QCOMPARE(p.bytesRead(), p.totalBytes());
  }
};

QTEST_APPLESS_MAIN(TestCsvParser)
#include "test_csv_parser.moc"
