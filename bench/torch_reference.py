"""The PyTorch reference for bench/TrainingBenchmark.java: the same models, data, batching and
optimizer, timed the same way. Prints "name value unit" lines.

  python3 bench/torch_reference.py [--bucketed] [--steps N] [--small | --allcores]
  python3 bench/torch_reference.py --book FILE [--seconds S]   BookBenchmark's character recipe
"""
import argparse, collections, csv, math, os, pathlib, random, re, resource, time
import torch

BATCH, WARMUP = 64, 96  # as TrainingBenchmark: three passes over the shared titles


def titles():
    folder = pathlib.Path(os.environ.get("AG_NEWS_DIR", pathlib.Path.home() / ".cache/genrnn/ag_news"))
    train = folder / "train.csv" if (folder / "train.csv").exists() else folder / "train-first-2000.csv"
    with open(train, encoding="utf-8", newline="") as f:
        return [row[1] for row in csv.reader(f)]


def vocabulary(texts):
    """Padding 0, characters by falling count then code, <eos> last: as CharVocabulary."""
    counts = collections.Counter("".join(texts))
    chars = sorted(counts, key=lambda c: (-counts[c], ord(c)))
    return {c: i + 1 for i, c in enumerate(chars)}, len(chars) + 1


def batches(texts, index, eos, bucketed, seed=1):
    order = list(range(len(texts)))
    random.Random(seed).shuffle(order)
    if bucketed:
        size = 32 * BATCH
        order = [i for k in range(0, len(order), size) for i in sorted(order[k:k + size], key=lambda i: len(texts[i]))]
    groups = [order[k:k + BATCH] for k in range(0, len(order), BATCH)]
    if bucketed:
        random.Random(seed).shuffle(groups)
    for group in groups:
        longest = max(len(texts[i]) for i in group)
        x = torch.zeros(len(group), longest, dtype=torch.long)
        y = torch.zeros(len(group), longest, dtype=torch.long)
        for row, i in enumerate(group):
            enc = [index[c] for c in texts[i]]
            x[row, :len(enc)] = torch.tensor(enc)
            y[row, :len(enc)] = torch.tensor(enc[1:] + [eos])
        yield x, y


class Generator(torch.nn.Module):
    def __init__(self, vocab, hidden, layers):
        super().__init__()
        self.vocab = vocab
        self.lstm = torch.nn.LSTM(vocab, hidden, layers, batch_first=True)
        self.out = torch.nn.Linear(hidden, vocab)

    def forward(self, x, state=None):
        h, state = self.lstm(torch.nn.functional.one_hot(x, self.vocab).float(), state)
        return self.out(h), state


def book_training(path, seconds):
    """The lab's character LSTM as BookBenchmark trains it (embedding 32, dropout 0.25 on the LSTM's
    input, LSTM(256), 32 streams read in windows of 64 with the state carried, Adam(0.003), loss summed
    over time and averaged over streams, gradients clipped at ±5) on the book's first 90%, one line per
    paragraph; prints the steps and characters per second after 10 untimed steps."""
    text = pathlib.Path(path).read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    text = "\n".join(re.sub(r"\s*\n\s*", " ", p).strip() for p in re.split(r"\n\s*\n", text) if p.strip())
    text = text[:len(text) * 9 // 10]
    index = {c: i for i, c in enumerate(sorted(set(text)))}
    vocab, streams, window = len(index), 32, 64
    data = torch.tensor([index[c] for c in text])
    per = (len(data) - 1) // streams
    x_all, y_all = data[:streams * per].view(streams, per), data[1:streams * per + 1].view(streams, per)
    torch.manual_seed(42)
    embed, drop = torch.nn.Embedding(vocab, 32), torch.nn.Dropout(0.25)
    lstm, out = torch.nn.LSTM(32, 256, batch_first=True), torch.nn.Linear(256, vocab)
    params = [p for m in (embed, lstm, out) for p in m.parameters()]
    optimizer = torch.optim.Adam(params, lr=0.003)
    print(f"# torch {torch.__version__}, {torch.get_num_threads()} threads, {len(text)} characters, vocabulary {vocab}")
    state, position, steps, start = None, 0, -10, None
    while start is None or time.perf_counter() - start < seconds:
        if position + window > per:
            state, position = None, 0
        x, y = x_all[:, position:position + window], y_all[:, position:position + window]
        position += window
        optimizer.zero_grad()
        h, state = lstm(drop(embed(x)), state)
        state = tuple(s.detach() for s in state)
        loss = torch.nn.functional.cross_entropy(out(h).reshape(-1, vocab), y.reshape(-1), reduction="sum") / streams
        loss.backward()
        torch.nn.utils.clip_grad_value_(params, 5.0)
        optimizer.step()
        steps += 1
        if steps == 0:
            start = time.perf_counter()
    elapsed = time.perf_counter() - start
    print(f"pytorch char_steps_per_second {steps / elapsed:.2f} steps")
    print(f"pytorch char_characters_per_second {steps * streams * window / elapsed:.0f} characters")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bucketed", action="store_true")
    parser.add_argument("--steps", type=int, default=96)
    parser.add_argument("--small", action="store_true")
    parser.add_argument("--allcores", action="store_true", help="only 2x256's training step, named _allcores")
    parser.add_argument("--book", help="time BookBenchmark's character recipe on this book instead")
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", os.cpu_count())))
    if args.book:
        return book_training(args.book, args.seconds)
    texts = titles()
    index, eos = vocabulary(texts)
    vocab = eos + 1
    print(f"# torch {torch.__version__}, {torch.get_num_threads()} threads, {len(texts)} titles, vocabulary {vocab}")
    data = []
    while len(data) < WARMUP + args.steps:
        data.extend(batches(texts, index, eos, args.bucketed, seed=len(data)))
    models = [(256, 2)] if args.allcores else [(128, 1)] + ([] if args.small else [(256, 2)])
    for hidden, layers in models:
        steps = args.steps
        torch.manual_seed(42)
        net = Generator(vocab, hidden, layers)
        optimizer = torch.optim.Adam(net.parameters(), lr=0.01)

        def step(x, y):
            optimizer.zero_grad()
            logits, _ = net(x)
            mask = (x != 0).float()
            loss = torch.nn.functional.cross_entropy(logits.reshape(-1, vocab), y.reshape(-1), reduction="none")
            loss = (loss * mask.reshape(-1)).sum() / x.size(0)  # summed over time, averaged over titles, as DL4J
            loss.backward()
            torch.nn.utils.clip_grad_value_(net.parameters(), 5.0)
            optimizer.step()

        for x, y in data[:WARMUP]:
            step(x, y)
        start = time.perf_counter()
        for x, y in data[WARMUP:WARMUP + steps]:
            step(x, y)
        suffix = "_allcores" if args.allcores else ""
        print(f"pytorch train_step_{layers}x{hidden}{suffix} {(time.perf_counter() - start) / steps:.4f} s")
        if args.allcores:
            return
        with torch.no_grad():
            def titles_from(seeds):
                """Samples one title per seed as lesson 5 does; returns the characters written."""
                written = 0
                for seed in seeds:
                    generator = torch.Generator().manual_seed(seed)
                    logits, state = net(torch.tensor([[index[c] for c in "Today "]]))
                    for _ in range(200):
                        p = torch.softmax(logits[0, -1], dim=0)
                        p[0] = 0
                        nxt = torch.multinomial(p, 1, generator=generator).item()
                        if nxt == eos:
                            break
                        written += 1
                        logits, state = net(torch.tensor([[nxt]]), state)
                return written

            titles_from(range(100, 120))  # warm-up, as the Java benchmark does
            start = time.perf_counter()
            chars = titles_from(range(100))
            print(f"pytorch generate_char_{layers}x{hidden} {(time.perf_counter() - start) * 1000 / chars:.4f} ms")
    print(f"pytorch peak_rss {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.4f} MB")


if __name__ == "__main__":
    main()
