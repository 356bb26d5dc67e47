#!/usr/bin/env python3
"""Writes the small bad-input fixtures of the corpus (byte for byte).

The big inputs (a 50 MB field, 5,000 columns) are not stored: `cases.json`
describes them as parts and the tests build them in a temporary directory.
Run from this directory: `python3 make_corpus.py`.
"""

FILES = {
    "ragged.csv": b'a,b,c\n1,2,3\n4,5\n6,7,8,9,"x,y"\n10,11,12\n',
    "long-row-verbatim.csv": b'a,b,c\n1,2,3\n13,14,15,"plain",q"r\n16,17,18,"m\nn",""\n',
    "unterminated-quote-long-row.csv": b'a,b\n1,2\n3,4,"open\nrest\n',
    "unterminated-quote.csv": b'a,b\n1,"multi\nline"\n2,"open\n3,y\n4,z\n',
    "unterminated-quote-no-newline.csv": b'a,b\n1,x\n2,"open',
    "stray-quote.csv": b'a,b\n1,ab"c\n2,"x"\n3,d"\n4,5" tall\n5, "sp"\n',
    "doubled-quotes.csv": b'a,b\n1,"say ""hi"""\n2,""""\n3,""\n4,"x""""y"\n',
    "quoted-line-ends.csv": b'a,b\r\n1,"x\r\ny"\r\n2,"p\nq"\r\n3,z\r\n4\r\n5,"r\rs"\r\n6\r\n',
    "mixed-line-ends.csv": b"a,b\r\n1,2\n3,4\r5,6\r\n7\n8,9\r\r\n10,11",
    "cr-only.csv": b"a,b\r1,2\r3\r4,5",
    "no-trailing-newline.csv": b"a,b\n1,2\n3,",
    "bom-utf8.csv": "\ufeffid,name\n1,Zo\u00eb\n2,\"x,y\"\n".encode("utf-8"),
    "bom-quoted-header.csv": '\ufeff"id","na,me"\n1,2\n'.encode("utf-8"),
    "bom-only.csv": b"\xef\xbb\xbf",
    "utf16le-bom.csv": b"\xff\xfe" + "id,name\r\n1,Zo\u00eb\r\n2,\u65e5\u672c\r\n3,\U0001f355\r\n4\r\n".encode("utf-16-le"),
    "utf16be-bom.csv": b"\xfe\xff" + "id,name\r\n1,Zo\u00eb\r\n2,\u65e5\u672c\r\n3,\U0001f355\r\n4\r\n".encode("utf-16-be"),
    "utf16le-declared.csv": "id,name\r\n1,Zo\u00eb\r\n2,\u65e5\u672c\r\n3,\U0001f355\r\n".encode("utf-16-le"),
    "invalid-utf8.csv": (
        b"id,name,t\n"
        b"1,M\xfcller,2024-01-01 10:00:00\n"
        b"2,ok,2024-01-01 10:00:00\xff\n"
        b"3,\xc3\x28,2024-06-01 12:00:00\n"
        b"4,nbsp,2024-01-01\xa010:00:00\n"
    ),
    "latin1.csv": b"id,name\n1,M\xfcller\n2,Fran\xe7ois\n3,\xa3\xb5 \xbd\n",
    "nul-bytes.csv": b'a,b\n1,x\x00y\n2,"\x00,\x00"\n3,\x00\n',
    "empty.csv": b"",
    "empty.jsonl": b"",
    "blank-lines-only.csv": b"\n\r\n\n",
    "one-column.csv": b'v\n1\n""\n2\n',
    "no-header.csv": b"1,2\n3,4\n5\n",
    "leading-blank-line.csv": b"\na,b\n1,2\n3\n",
    "header-only.csv": b"a,b\n",
    "header-only-no-newline.csv": b"a,b",
    "blank-lines.csv": b"a,b\n1,2\n\n3,4\r\n\r\n5\n\n6,7\n\n",
    "duplicate-headers.csv": b"id,name,name,,name,\n1,a,b,c,d,e\n2,x\n",
    "semicolon.csv": b'id;amount;note\n1;2,5;x\n2;3,75;"a;b"\n3;;"say ""hi"""\n',
    "tab-delimited.txt": b'id\tname\tcity\n1\tSmith, J\tOslo\n2\tDoe, K\t"Rio; RJ"\n',
    "pipe.csv": b'a|b|c\n1|x|y\n2|"p|q"|z\n3|"m,n"|w\n',
    "whitespace-cells.csv": b"a,b,c\n1, ,  \n2,\t,x\n3,,z\n \n",
    "broken-line.jsonl": (
        b'{"id": 1, "name": "a"}\n'
        b'{"id": 2, "name": "b"\n'
        b'{"id": 3, "name": "c"}\n'
        b'{"id": 4, "name": "d",}\n'
        b'{"id": 5, "name": "e"} trailing\n'
    ),
    "non-object-lines.jsonl": b'{"a": 1}\n[1, 2]\n"text"\n42\nnull\n{"a": 2}\n',
    "nested-values.jsonl": (
        b'{"id": 1, "obj": {"x": [1, 2], "y": {"z": null}}, "arr": [], "s": "q\\"uote"}\n'
        b'{"id": 2, "obj": {}, "arr": [{"k": "v"}], "s": null}\n'
    ),
    "crlf.jsonl": b'{"a": "x", "b": 1}\r\n{"a": "y\\r\\n", "b": null}\r\n\r\n{"b": 2}\r\n',
    "differing-keys.jsonl": (
        b'{"a": "1", "b": "x"}\n'
        b'{"b": "y", "c": true}\n'
        b"\n"
        b'{"c": false, "a": "3", "d": 1.50}\n'
        b"{}\n"
    ),
}

if __name__ == "__main__":
    for name, data in FILES.items():
        with open(name, "wb") as f:
            f.write(data)
