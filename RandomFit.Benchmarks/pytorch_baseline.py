#!/usr/bin/python3
"""Time PyTorch on the benchmark's workloads, for the README's side-by-side figures.

Uses Debian's python3-torch. Each epoch is a training pass over shuffled batches plus an evaluation of the
whole training set (and the test set where there is one), as RandomFit's `seconds` measures it. The models,
initialisation, Adam settings and batch size match RandomFit.Benchmarks/Workloads.cs.

    /usr/bin/python3 RandomFit.Benchmarks/pytorch_baseline.py --threads 2 [--workload NAME]
"""
import argparse
import json
import resource
import statistics
import time

import torch
from torch import nn

WORKLOADS = {
    # name: (channels, height, width, train, test, classes, epochs, builder)
    "article-example-1": (3, 100, 100, 100, 0, 2, 10, "cnn1"),
    "article-example-2": (3, 100, 100, 100, 0, 2, 10, "mlp64"),
    "article-example-3": (1, 10, 10, 100, 20, 2, 100, "cnn3"),
    "zhang-cnn": (3, 32, 32, 2000, 0, 10, 5, "zhang_cnn"),
    "zhang-mlp": (3, 32, 32, 2000, 0, 10, 5, "zhang_mlp"),
    "memorization-mlp": (3, 8, 8, 1024, 0, 10, 10, "memorization_mlp"),
}


def build(kind, channels, height, width, classes):
    outputs = 1 if classes == 2 else classes
    if kind == "cnn1":
        flat = 32 * ((height - 2) // 2) * ((width - 2) // 2)
        layers = [nn.Conv2d(channels, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(flat, outputs)]
    elif kind == "cnn3":
        flat = 8 * ((height - 2) // 2) * ((width - 2) // 2)
        layers = [nn.Conv2d(channels, 8, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(flat, outputs)]
    elif kind == "mlp64":
        layers = [nn.Flatten(), nn.Linear(channels * height * width, 64), nn.ReLU(), nn.Linear(64, outputs)]
    elif kind == "zhang_cnn":
        layers = [nn.Conv2d(channels, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                  nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                  nn.Linear(32 * (height // 4) * (width // 4), 128), nn.ReLU(), nn.Linear(128, outputs)]
    elif kind == "memorization_mlp":
        layers = [nn.Flatten(), nn.Linear(channels * height * width, 256), nn.ReLU(), nn.Linear(256, outputs)]
    else:
        layers = [nn.Flatten(), nn.Linear(channels * height * width, 512), nn.ReLU(),
                  nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, outputs)]
    model = nn.Sequential(*layers)
    for module in model.modules():
        if isinstance(module, (nn.Conv2d, nn.Linear)):
            nn.init.xavier_uniform_(module.weight)
            nn.init.zeros_(module.bias)
    return model


def evaluate(model, inputs, labels, loss_function, binary, batch):
    model.eval()
    total_loss = torch.zeros(())
    correct = torch.zeros((), dtype=torch.long)
    with torch.no_grad():
        for start in range(0, len(inputs), batch):
            x, y = inputs[start:start + batch], labels[start:start + batch]
            logits = model(x)
            if binary:
                logits = logits.squeeze(1)
                total_loss += loss_function(logits, y.float()) * len(x)
                correct += ((logits > 0).long() == y).sum()
            else:
                total_loss += loss_function(logits, y) * len(x)
                correct += (logits.argmax(1) == y).sum()
    return total_loss.item() / len(inputs), correct.item() / len(inputs)


def run(name, threads):
    channels, height, width, train, test, classes, epochs, kind = WORKLOADS[name]
    torch.set_num_threads(threads)
    generator = torch.Generator().manual_seed(0)
    draw = torch.randn if name == "memorization-mlp" else torch.rand
    inputs = draw(train + test, channels, height, width, generator=generator)
    labels = torch.randint(0, classes, (train + test,), generator=generator)
    train_x, train_y, test_x, test_y = inputs[:train], labels[:train], inputs[train:], labels[train:]
    torch.manual_seed(0)
    model = build(kind, channels, height, width, classes)
    binary = classes == 2
    loss_function = nn.BCEWithLogitsLoss() if binary else nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    batch = 64 if name == "memorization-mlp" else 32
    seconds = []
    for _ in range(epochs):
        start = time.perf_counter()
        model.train()
        order = torch.randperm(train, generator=generator)
        for first in range(0, train, batch):
            index = order[first:first + batch]
            x, y = train_x[index], train_y[index]
            optimizer.zero_grad()
            logits = model(x)
            loss = loss_function(logits.squeeze(1), y.float()) if binary else loss_function(logits, y)
            loss.backward()
            optimizer.step()
        evaluate(model, train_x, train_y, loss_function, binary, 256)
        if test:
            evaluate(model, test_x, test_y, loss_function, binary, 256)
        seconds.append(time.perf_counter() - start)
    median = statistics.median(seconds)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {"name": name, "medianEpochSeconds": median, "samplesPerSecond": train / median, "peakMemoryBytes": peak}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=torch.get_num_threads())
    parser.add_argument("--workload", choices=sorted(WORKLOADS))
    arguments = parser.parse_args()
    names = [arguments.workload] if arguments.workload else list(WORKLOADS)
    results = [run(name, arguments.threads) for name in names]
    print(json.dumps({"device": "cpu", "threads": arguments.threads, "torch": torch.__version__, "workloads": results}))


if __name__ == "__main__":
    main()
