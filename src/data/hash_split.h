// The train/test split of `kiln add --category split`: stratified by label, groups kept whole, deterministic,
// and final (a sample keeps the category it got; only `kiln dataset move` changes it).
//
// Each `kiln add` assigns its new samples only:
//  1. A new sample whose group (ingest_files.h group_key, "" = a group of its own) already has samples in the
//     dataset joins that group's category (the one most of its samples have; train on a tie).
//  2. The other new samples form new groups, which go to train or test whole. Each label L has a target of
//     round(test_ratio * n_L) test samples, n_L counting the dataset after this add (so a label with
//     test_ratio * n_L < 0.5 gets none; `kiln dataset` warns about it). The new groups are taken in the
//     order of SHA-256("kiln-group\n" + key) (the content hash for a sample without a group): independent of
//     the order of the files, and of their content for named groups. A group goes to test when that brings
//     its labels' test counts closer to their targets: the sum over the group's labels of
//     |test_L + group's samples of L - target_L| is smaller than the sum of |test_L - target_L|. For a group
//     of one label that is "closer to the label's target"; a group of several labels counts for each.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace kiln {

struct SplitSample {
  std::string hash;  // content hash (SHA-256 hex)
  std::string label;
  std::string group_key;  // "" for a group of its own
};

struct SplitExisting {
  // Per label: samples in the dataset before this add, and how many of them are in test.
  std::map<std::string, int> samples, test;
  // Per group key (not ""): its samples in train and in test.
  std::map<std::string, std::pair<int, int>> groups;
};

// "train" or "test" for each of `samples` (same order). test_ratio is from 0 to 1.
std::vector<std::string> assign_split(const std::vector<SplitSample>& samples, const SplitExisting& existing,
                                      double test_ratio);

}  // namespace kiln
