// Device choice and mixed-precision bookkeeping, on the CPU build: cuda is
// refused with the reason when LibTorch has none, auto falls back to the
// CPU; the loss scaler skips overflowing steps, halves and grows its scale,
// and leaves finite gradients as they were before scaling.
#include "train/device.h"

#include <QtTest>

using namespace pl;

class TestDevice : public QObject {
  Q_OBJECT
 private slots:
  void choicesResolve() {
    QVERIFY(parseDeviceChoice("gpu").error().message.find("cpu, cuda or auto") != std::string::npos);
    QVERIFY(resolveDevice(*parseDeviceChoice("cpu"))->is_cpu());
    auto automatic = resolveDevice(DeviceChoice::Auto);
    QVERIFY(automatic.ok());
    QCOMPARE(automatic->is_cuda(), torch::cuda::is_available());
    auto cuda = resolveDevice(DeviceChoice::Cuda);
    if (torch::cuda::is_available()) {
      QVERIFY(cuda.ok() && cuda->is_cuda());
    } else {
      QVERIFY(!cuda.ok());
      QVERIFY(cuda.error().message.find("no CUDA device") != std::string::npos);
    }
  }

  void aCpuBatchStaysPut() {
    Batch b;
    b.ids = torch::ones({2, 3}, torch::kInt64);
    Batch same = batchOn(b, torch::Device(torch::kCPU));
    QVERIFY(same.ids.is_same(b.ids));
  }

  void theLossScalerSkipsOverflowsAndAdapts() {
    auto w = torch::ones({3}, torch::requires_grad());
    LossScaler scaler(true, 1024.0, 2);
    auto loss = (w * torch::tensor({1.0f, 2.0f, 3.0f})).sum();
    scaler.scaled(loss).backward();
    QVERIFY(torch::allclose(w.grad(), torch::tensor({1024.0f, 2048.0f, 3072.0f})));
    QVERIFY(scaler.unscaleAndUpdate({w}));
    QVERIFY(torch::allclose(w.grad(), torch::tensor({1.0f, 2.0f, 3.0f})));  // as without scaling
    QCOMPARE(scaler.scale(), 1024.0);
    // An overflow: the step is to be skipped and the scale halves.
    w.mutable_grad() = torch::tensor({1.0f, INFINITY, 0.0f});
    QVERIFY(!scaler.unscaleAndUpdate({w}));
    QCOMPARE(scaler.scale(), 512.0);
    // Two good steps in a row double it.
    for (int i = 0; i < 2; ++i) {
      w.mutable_grad() = torch::ones({3});
      QVERIFY(scaler.unscaleAndUpdate({w}));
    }
    QCOMPARE(scaler.scale(), 1024.0);
    // Disabled, it changes nothing.
    LossScaler off(false);
    QVERIFY(off.scaled(loss).is_same(loss));
    w.mutable_grad() = torch::tensor({INFINITY, 1.0f, 1.0f});
    QVERIFY(off.unscaleAndUpdate({w}));
  }

  void autocastIsAScopeAndOffOnTheCpu() {
    { AutocastScope off(false); }
    {
      AutocastScope on(true);  // switches CUDA autocast; CPU ops are unaffected
      auto product = torch::mm(torch::ones({2, 2}), torch::ones({2, 2}));
      QCOMPARE(product.scalar_type(), torch::kFloat32);
    }
  }
};

QTEST_GUILESS_MAIN(TestDevice)
#include "test_device.moc"
