import ConfigGen
import Testing

/// The `--dry-run` diff: `diff -u` output for the cases ConfigGen meets.
@Suite struct UnifiedDiffTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var old: String
        var new: String
        var expected: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "equal texts give nothing", old: "a\nb\n", new: "a\nb\n", expected: ""),
        Case(
            name: "new file", old: "", new: "a\nb\n",
            expected: "--- old\n+++ new\n@@ -0,0 +1,2 @@\n+a\n+b\n"),
        Case(
            name: "changed line: deletion first", old: "a\nb\nc\n", new: "a\nB\nc\n",
            expected: "--- old\n+++ new\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"),
        Case(
            name: "appended lines", old: "a\n", new: "a\nb\nc\n",
            expected: "--- old\n+++ new\n@@ -1 +1,3 @@\n a\n+b\n+c\n"),
        Case(
            name: "missing final newline", old: "a\nb", new: "a\nb\n",
            expected: "--- old\n+++ new\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n"),
        Case(
            name: "distant changes make two hunks",
            old: (1...20).map { "l\($0)\n" }.joined(),
            new: (1...20).map { $0 == 2 ? "x\n" : $0 == 18 ? "y\n" : "l\($0)\n" }.joined(),
            expected: """
                --- old
                +++ new
                @@ -1,5 +1,5 @@
                 l1
                -l2
                +x
                 l3
                 l4
                 l5
                @@ -15,6 +15,6 @@
                 l15
                 l16
                 l17
                -l18
                +y
                 l19
                 l20

                """),
    ]

    @Test(arguments: cases)
    func rendersLikeDiffU(_ testCase: Case) {
        #expect(
            UnifiedDiff.render(old: testCase.old, new: testCase.new, oldName: "old", newName: "new")
                == testCase.expected)
    }
}
