#include "launch_capture.h"

#include <cuda.h>
#include <cudaTypedefs.h>

#include <mutex>
#include <vector>

namespace ratchet {
namespace {

// The driver calls this needs, at the ABI versions named (the driver keeps old versions working).
struct DriverApi {
  PFN_cuGraphKernelNodeGetParams_v12000 nodeParams = nullptr;
  PFN_cuFuncGetName_v12030 funcName = nullptr;
  PFN_cuFuncGetAttribute_v2020 funcAttribute = nullptr;
  PFN_cuKernelGetFunction_v12000 kernelFunction = nullptr;
  std::string missing;  // empty when every call was found
};

template <typename Fn>
void resolve(const char* symbol, unsigned version, Fn& out, std::string& missing) {
  void* function = nullptr;
  cudaDriverEntryPointQueryResult found = cudaDriverEntryPointSymbolNotFound;
  if (cudaGetDriverEntryPointByVersion(symbol, &function, version, cudaEnableDefault, &found) != cudaSuccess || found != cudaDriverEntryPointSuccess || !function) {
    cudaGetLastError();
    missing += (missing.empty() ? "" : ", ") + std::string(symbol);
    return;
  }
  out = reinterpret_cast<Fn>(function);
}

const DriverApi& driver() {
  static DriverApi api;
  static std::once_flag once;
  std::call_once(once, [] {
    resolve("cuGraphKernelNodeGetParams", 12000, api.nodeParams, api.missing);
    resolve("cuFuncGetName", 12030, api.funcName, api.missing);
    resolve("cuFuncGetAttribute", 2020, api.funcAttribute, api.missing);
    resolve("cuKernelGetFunction", 12000, api.kernelFunction, api.missing);
  });
  return api;
}

const char* nodeKind(cudaGraphNodeType type) {
  switch (type) {
    case cudaGraphNodeTypeKernel: return "kernel";
    case cudaGraphNodeTypeMemcpy: return "memcpy";
    case cudaGraphNodeTypeMemset: return "memset";
    case cudaGraphNodeTypeHost: return "host";
    case cudaGraphNodeTypeGraph: return "graph";
    case cudaGraphNodeTypeEmpty: return "empty";
    case cudaGraphNodeTypeWaitEvent: return "wait-event";
    case cudaGraphNodeTypeEventRecord: return "event-record";
    case cudaGraphNodeTypeMemAlloc: return "mem-alloc";
    case cudaGraphNodeTypeMemFree: return "mem-free";
    default: return "other";
  }
}

// The function attributes that change how the same machine code runs, by stable names.
const std::pair<CUfunction_attribute, const char*> kAttributes[] = {
    {CU_FUNC_ATTRIBUTE_NUM_REGS, "registers"},
    {CU_FUNC_ATTRIBUTE_SHARED_SIZE_BYTES, "staticSmemBytes"},
    {CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, "maxDynamicSmemBytes"},
    {CU_FUNC_ATTRIBUTE_CONST_SIZE_BYTES, "constBytes"},
    {CU_FUNC_ATTRIBUTE_LOCAL_SIZE_BYTES, "localBytes"},
    {CU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK, "maxThreadsPerBlock"},
    {CU_FUNC_ATTRIBUTE_PTX_VERSION, "ptxVersion"},
    {CU_FUNC_ATTRIBUTE_BINARY_VERSION, "binaryVersion"},
    {CU_FUNC_ATTRIBUTE_CACHE_MODE_CA, "cacheModeCa"},
    {CU_FUNC_ATTRIBUTE_PREFERRED_SHARED_MEMORY_CARVEOUT, "preferredSmemCarveout"},
    {CU_FUNC_ATTRIBUTE_CLUSTER_SIZE_MUST_BE_SET, "clusterSizeMustBeSet"},
    {CU_FUNC_ATTRIBUTE_REQUIRED_CLUSTER_WIDTH, "requiredClusterWidth"},
    {CU_FUNC_ATTRIBUTE_REQUIRED_CLUSTER_HEIGHT, "requiredClusterHeight"},
    {CU_FUNC_ATTRIBUTE_REQUIRED_CLUSTER_DEPTH, "requiredClusterDepth"},
    {CU_FUNC_ATTRIBUTE_NON_PORTABLE_CLUSTER_SIZE_ALLOWED, "nonPortableClusterSizeAllowed"},
    {CU_FUNC_ATTRIBUTE_CLUSTER_SCHEDULING_POLICY_PREFERENCE, "clusterSchedulingPolicy"},
};

// One kernel node read; false (with `why`) when the driver cannot tell.
bool readKernel(const DriverApi& api, cudaGraphNode_t node, LaunchedKernel& kernel, std::string& why) {
  CUDA_KERNEL_NODE_PARAMS_v2 params{};
  if (api.nodeParams(reinterpret_cast<CUgraphNode>(node), &params) != CUDA_SUCCESS) {
    why = "cuGraphKernelNodeGetParams failed";
    return false;
  }
  CUfunction function = params.func;
  if (!function && params.kern && api.kernelFunction(&function, params.kern) != CUDA_SUCCESS) function = nullptr;
  if (!function) {
    why = "a kernel node has no function the driver can name";
    return false;
  }
  const char* name = nullptr;
  if (api.funcName(&name, function) == CUDA_SUCCESS && name) kernel.name = name;
  kernel.grid[0] = params.gridDimX, kernel.grid[1] = params.gridDimY, kernel.grid[2] = params.gridDimZ;
  kernel.block[0] = params.blockDimX, kernel.block[1] = params.blockDimY, kernel.block[2] = params.blockDimZ;
  kernel.dynamicSmemBytes = params.sharedMemBytes;
  cudaLaunchAttributeValue cluster{};
  if (cudaGraphKernelNodeGetAttribute(node, cudaLaunchAttributeClusterDimension, &cluster) == cudaSuccess) {
    kernel.cluster[0] = cluster.clusterDim.x, kernel.cluster[1] = cluster.clusterDim.y, kernel.cluster[2] = cluster.clusterDim.z;
  } else {
    cudaGetLastError();
  }
  for (const auto& [attribute, label] : kAttributes) {
    int value = 0;
    // An attribute this driver does not know reads as -1: still a stable part of the identity.
    if (api.funcAttribute(&value, attribute, function) != CUDA_SUCCESS) value = -1;
    kernel.attributes.emplace_back(label, value);
  }
  return true;
}

}  // namespace

CaptureResult captureLaunch(cudaStream_t stream, const std::function<ratchet_status()>& launch) {
  CaptureResult result;
  const DriverApi& api = driver();
  if (cudaStreamBeginCapture(stream, cudaStreamCaptureModeThreadLocal) != cudaSuccess) {
    cudaGetLastError();
    result.why = "cudaStreamBeginCapture failed";
    return result;
  }
  result.status = launch();
  cudaGraph_t graph = nullptr;
  const cudaError_t ended = cudaStreamEndCapture(stream, &graph);
  if (ended != cudaSuccess || !graph || result.status != RATCHET_OK) {
    cudaGetLastError();
    if (graph) cudaGraphDestroy(graph);
    result.why = ended != cudaSuccess ? std::string("cudaStreamEndCapture: ") + cudaGetErrorName(ended) : "the launch failed while captured";
    return result;
  }
  size_t count = 0;
  cudaGraphGetNodes(graph, nullptr, &count);
  std::vector<cudaGraphNode_t> nodes(count);
  // A capture from one stream is a chain: the nodes come back in the order they were enqueued.
  if (count > 0 && cudaGraphGetNodes(graph, nodes.data(), &count) != cudaSuccess) {
    cudaGetLastError();
    count = 0;
    result.why = "cudaGraphGetNodes failed";
  }
  CapturedLaunch captured;
  bool complete = count > 0 && api.missing.empty();
  if (!api.missing.empty()) result.why = "the driver lacks " + api.missing;
  for (size_t i = 0; i < count && complete; ++i) {
    cudaGraphNodeType type = cudaGraphNodeTypeEmpty;
    if (cudaGraphNodeGetType(nodes[i], &type) != cudaSuccess) {
      cudaGetLastError();
      complete = false;
      result.why = "cudaGraphNodeGetType failed";
      break;
    }
    captured.nodes.emplace_back(nodeKind(type));
    if (type != cudaGraphNodeTypeKernel) continue;
    LaunchedKernel kernel;
    complete = readKernel(api, nodes[i], kernel, result.why);
    captured.kernels.push_back(std::move(kernel));
  }
  cudaGraphDestroy(graph);
  if (complete) result.launch = std::move(captured);
  return result;
}

}  // namespace ratchet
