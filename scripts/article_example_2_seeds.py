#!/usr/bin/python3
"""Count the seeds on which article example 2's MLP fits in PyTorch, for the README's note on that preset.

Uses Debian's python3-torch. The data follow the preset: 100 samples of 30,000 uniform inputs in [0, 1) with
random binary labels. The model has one hidden layer of 64 ReLU units and one logit, with Glorot-uniform weights and
zero biases. It trains 10 epochs with Adam at 1e-3 and epsilon 1e-7, in batches of 32 in a new order each epoch. A seed counts as
fitted when its train accuracy after the last epoch is at least 0.9. The loss is computed from the logit, and
again from a probability clipped to [1e-7, 1 - 1e-7].

    /usr/bin/python3 scripts/article_example_2_seeds.py --seeds 16 --threads 2
"""
import argparse
import math

import torch
import torch.nn.functional as F

SAMPLES = 100
FEATURES = 3 * 100 * 100
HIDDEN = 64
EPOCHS = 10
BATCH = 32


def glorot(layer, generator):
    limit = math.sqrt(6 / (layer.in_features + layer.out_features))
    with torch.no_grad():
        layer.weight.uniform_(-limit, limit, generator=generator)
        layer.bias.zero_()


def loss_of(logits, labels, clipped):
    if not clipped:
        return F.binary_cross_entropy_with_logits(logits, labels)
    probability = torch.sigmoid(logits).clamp(1e-7, 1 - 1e-7)
    return F.binary_cross_entropy(probability, labels)


def final_accuracy(seed, clipped):
    generator = torch.Generator().manual_seed(seed)
    inputs = torch.rand(SAMPLES, FEATURES, generator=generator)
    labels = torch.randint(0, 2, (SAMPLES,), generator=generator).float()
    hidden = torch.nn.Linear(FEATURES, HIDDEN)
    output = torch.nn.Linear(HIDDEN, 1)
    glorot(hidden, generator)
    glorot(output, generator)
    optimizer = torch.optim.Adam([*hidden.parameters(), *output.parameters()], lr=1e-3, eps=1e-7)
    for _ in range(EPOCHS):
        order = torch.randperm(SAMPLES, generator=generator)
        for start in range(0, SAMPLES, BATCH):
            batch = order[start:start + BATCH]
            logits = output(torch.relu(hidden(inputs[batch]))).squeeze(1)
            loss = loss_of(logits, labels[batch], clipped)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    with torch.no_grad():
        logits = output(torch.relu(hidden(inputs))).squeeze(1)
        return ((logits > 0).float() == labels).float().mean().item()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=16, help="seeds 0 to N-1 (default 16)")
    parser.add_argument("--threads", type=int, default=2, help="torch threads (default 2)")
    arguments = parser.parse_args()
    torch.set_num_threads(arguments.threads)
    for clipped in (False, True):
        accuracies = [final_accuracy(seed, clipped) for seed in range(arguments.seeds)]
        fitted = sum(accuracy >= 0.9 for accuracy in accuracies)
        name = "clipped probability" if clipped else "logit"
        print(f"loss from the {name}: {fitted} of {len(accuracies)} seeds fitted; final train accuracies "
              + " ".join(f"{accuracy:.2f}" for accuracy in accuracies))


if __name__ == "__main__":
    main()
