#!/bin/bash
# Submits an onesim sweep as an AWS Batch array job and the merge job that waits for all of its
# children. Register the two job definitions once (edit the image and the EFS file system first):
#
#   aws batch register-job-definition --cli-input-json file://sweep-job-definition.json
#   aws batch register-job-definition --cli-input-json file://merge-job-definition.json
#
# then: ONESIM_JOB_QUEUE=my-queue ONESIM_SHARDS=32 ./submit.sh /sweeps/take-rate
# Child k gets AWS_BATCH_JOB_ARRAY_INDEX=k and AWS_BATCH_JOB_ARRAY_SIZE=32, from which onesim
# picks shard k/32; a retried child resumes its shard. The sweep itself (scenario, seeds, grid,
# days) is in the job definition's parameters; override them with --parameters.
set -euo pipefail
out="${1:?usage: submit.sh OUT_DIR_ON_THE_SHARED_VOLUME}"
: "${ONESIM_JOB_QUEUE:?set ONESIM_JOB_QUEUE}"
: "${ONESIM_SHARDS:?set ONESIM_SHARDS (2 to 10000: an array job's size)}"
array=$(aws batch submit-job --job-name onesim-sweep --job-queue "$ONESIM_JOB_QUEUE" \
  --job-definition onesim-sweep --array-properties "size=$ONESIM_SHARDS" \
  --parameters "{\"out\": \"$out\"}" --query jobId --output text)
merge=$(aws batch submit-job --job-name onesim-merge --job-queue "$ONESIM_JOB_QUEUE" \
  --job-definition onesim-merge --depends-on "jobId=$array" \
  --parameters "{\"out\": \"$out\"}" --query jobId --output text)
echo "$array $merge"
